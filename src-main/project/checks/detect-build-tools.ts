import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CheckProposal } from '../../../src-shared/rpc/schemas/checks';
import { NOTHING_DETECTED, type DetectedChecks } from './detected-checks';

/** The makefile names GNU make looks for, in its order. */
const MAKEFILES = ['GNUmakefile', 'makefile', 'Makefile'];

/** Rust: `cargo test`, and `cargo clippy` when the project configures clippy (clippy.toml or [lints.clippy]). */
export function detectCargoChecks(projectDir: string): DetectedChecks {
  const manifest = readText(path.join(projectDir, 'Cargo.toml'));
  if (manifest === null) return NOTHING_DETECTED;
  const verify: CheckProposal[] = [];
  const clippyConfig = ['clippy.toml', '.clippy.toml'].find((name) => existsSync(path.join(projectDir, name)));
  const clippyLints = /^\[(workspace\.)?lints\.clippy\]/m.test(manifest);
  if (clippyConfig !== undefined || clippyLints) {
    verify.push({ value: 'cargo clippy --all-targets', source: `clippy configured (${clippyConfig ?? 'Cargo.toml [lints.clippy]'})` });
  }
  verify.push({ value: 'cargo test', source: 'Cargo.toml' });
  return { setup: [], verify, notes: [] };
}

/** Go: `go mod download` when there is a go.sum, then `go vet ./...` and `go test ./...`. */
export function detectGoChecks(projectDir: string): DetectedChecks {
  if (!existsSync(path.join(projectDir, 'go.mod'))) return NOTHING_DETECTED;
  const setup: CheckProposal[] = existsSync(path.join(projectDir, 'go.sum')) ? [{ value: 'go mod download', source: 'go.sum' }] : [];
  return {
    setup,
    verify: [
      { value: 'go vet ./...', source: 'go.mod' },
      { value: 'go test ./...', source: 'go.mod' },
    ],
    notes: [],
  };
}

/**
 * make: `make check` / `make test` for the targets the makefile defines. Proposed only when no
 * language's own test command was found (a makefile's test target usually runs that same command);
 * otherwise a note says it was left out.
 */
export function detectMakeChecks(projectDir: string, otherVerifyFound: boolean): DetectedChecks {
  const name = MAKEFILES.find((candidate) => existsSync(path.join(projectDir, candidate)));
  if (name === undefined) return NOTHING_DETECTED;
  const text = readText(path.join(projectDir, name)) ?? '';
  const targets = ['check', 'test'].filter((target) => new RegExp(`^${target}\\s*:(?!=)`, 'm').test(text));
  if (targets.length === 0) return NOTHING_DETECTED;
  if (otherVerifyFound) {
    return { ...NOTHING_DETECTED, notes: [`${name} has ${targets.map((target) => `a "${target}" target`).join(' and ')}; not proposed, as the commands above were found. Use \`make ${targets[0] ?? 'test'}\` instead if it is the project's way.`] };
  }
  // `make check` conventionally runs the tests too; propose it alone when both exist.
  const target = targets[0] ?? 'test';
  return { setup: [], verify: [{ value: `make ${target}`, source: `${name} target "${target}"` }], notes: [] };
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
