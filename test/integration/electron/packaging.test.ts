import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';
import { defaultUserDataDir } from '../../../src-main/host/user-data';
import { SQLITE_ADDON } from '../../../src-main/electron/native-binding';
import { repoRoot } from './shell-harness';

const require = createRequire(import.meta.url);
const { load } = require('js-yaml') as { load(text: string): unknown };

interface PackageJson {
  readonly name: string;
  readonly productName?: string;
  readonly homepage?: string;
  readonly author?: { readonly name?: string; readonly email?: string } | string;
  readonly main?: string;
  readonly scripts?: Readonly<Record<string, string>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
}
interface BuilderConfig {
  readonly productName?: string;
  readonly appId?: string;
  readonly files: ReadonlyArray<string>;
  readonly asarUnpack: ReadonlyArray<string>;
  readonly extraMetadata?: { readonly main?: string };
  readonly extraResources?: ReadonlyArray<{ readonly from: string; readonly to: string; readonly filter?: ReadonlyArray<string> }>;
  readonly npmRebuild?: boolean;
  readonly buildDependenciesFromSource?: boolean;
  readonly electronFuses?: Readonly<Record<string, boolean>>;
  readonly deb?: { readonly depends?: ReadonlyArray<string> };
}

const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as PackageJson;
const builder = load(readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

/** Files under a folder, as forward-slash paths relative to the repository. */
function filesUnder(folder: string): string[] {
  return readdirSync(join(repoRoot, folder), { recursive: true, encoding: 'utf8' })
    .map((name) => join(folder, name))
    .filter((path) => statSync(join(repoRoot, path)).isFile())
    .map((path) => path.split(sep).join('/'));
}

/** Whether electron-builder's `files` patterns take a file: the last matching pattern decides, as in electron-builder. */
function packaged(file: string): boolean {
  let taken = false;
  for (const pattern of builder.files) {
    if (pattern.startsWith('!')) {
      if (minimatch(file, pattern.slice(1), { dot: true })) taken = false;
    } else if (minimatch(file, pattern, { dot: true })) taken = true;
  }
  return taken;
}

/** The package name of an import specifier (`@scope/name/sub` → `@scope/name`). */
function packageOf(specifier: string): string {
  const [first = '', second = ''] = specifier.split('/');
  return first.startsWith('@') ? `${first}/${second}` : first;
}

/** The production dependency closure, from node_modules. */
function productionPackages(): Map<string, string> {
  const found = new Map<string, string>();
  const pending = Object.keys({ ...packageJson.dependencies, ...packageJson.optionalDependencies });
  while (pending.length > 0) {
    const name = pending.pop() ?? '';
    if (found.has(name)) continue;
    const folder = join(repoRoot, 'node_modules', name);
    if (!existsSync(join(folder, 'package.json'))) continue;
    found.set(name, folder);
    const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as PackageJson;
    pending.push(...Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies }));
  }
  return found;
}

/** Native addons (.node files) a package ships or builds. */
function nativeAddons(folder: string): string[] {
  if (!existsSync(join(folder, 'binding.gyp')) && !existsSync(join(folder, 'build'))) return [];
  return readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.node') && !name.includes('node_modules'));
}

describe('packaging: what electron-builder ships matches what the app loads', () => {
  it('leaves external in the main bundle only Node builtins, electron, and production dependencies', () => {
    const meta = JSON.parse(readFileSync(join(repoRoot, 'dist', 'meta', 'electron-main.json'), 'utf8')) as {
      outputs: Record<string, { imports: Array<{ path: string; external?: boolean }> }>;
    };
    const output = meta.outputs['dist/main/electron-main.mjs'];
    expect(output, 'the metafile describes dist/main/electron-main.mjs').toBeDefined();
    const externals = new Set((output?.imports ?? []).filter((each) => each.external === true).map((each) => each.path));
    expect(externals.size).toBeGreaterThan(0);
    const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
    for (const specifier of externals) {
      const ok = builtins.has(specifier) || specifier === 'electron' || Object.hasOwn(packageJson.dependencies ?? {}, packageOf(specifier));
      expect(ok, `${specifier} is imported by the app but is not a production dependency, so it is not packaged`).toBe(true);
    }
  });

  it('names the app "Claude Orchestrator" everywhere, with the homepage and author a Linux build needs', () => {
    expect(packageJson.productName).toBe('Claude Orchestrator');
    expect(builder.productName).toBe(packageJson.productName);
    expect(packageJson.homepage).toMatch(/^https:\/\//);
    const author = packageJson.author;
    expect(typeof author === 'object' ? author.email : author).toMatch(/@/);
    // The folder `co serve` uses is the one the app uses (main.ts sets userData to it).
    expect(defaultUserDataDir({ HOME: '/home/me' }, 'linux').endsWith(`/${packageJson.productName ?? ''}`)).toBe(true);
  });

  it('packages every built output the app loads, and no source maps or build metadata', () => {
    const outputs = [...filesUnder('dist/main'), ...filesUnder('dist/renderer'), 'package.json', 'bin/co.js'];
    expect(outputs).toContain('dist/main/electron-main.mjs');
    expect(outputs).toContain('dist/main/preload.cjs');
    expect(outputs).toContain('dist/renderer/index.html');
    for (const file of outputs) expect(packaged(file), `${file} is packaged`).toBe(!file.endsWith('.map'));
    expect(packaged('dist/meta/electron-main.json')).toBe(false);
    expect(builder.extraMetadata?.main).toBe(packageJson.main);
    expect(packaged(packageJson.main ?? '')).toBe(true);
  });

  it('unpacks every production dependency with a native addon from the asar', () => {
    const natives = [...productionPackages()].filter(([, folder]) => nativeAddons(folder).length > 0);
    expect(natives.map(([name]) => name)).toEqual(expect.arrayContaining(['better-sqlite3', 'keytar']));
    for (const [name, folder] of natives) {
      for (const addon of nativeAddons(folder)) {
        const inApp = `node_modules/${name}/${relative(folder, join(folder, addon)).split(sep).join('/')}`;
        expect(builder.asarUnpack.some((pattern) => minimatch(inApp, pattern, { dot: true })), `${inApp} is unpacked`).toBe(true);
      }
    }
  });

  it("ships better-sqlite3's Electron build beside node_modules, rebuilding nothing in place", () => {
    expect(builder.npmRebuild).toBe(false);
    expect(builder.buildDependenciesFromSource).not.toBe(true);
    expect(builder.deb?.depends, "deb.depends would replace electron-builder's default list").toBeUndefined();
    const native = builder.extraResources?.find((resource) => resource.to === 'native');
    expect(native?.from).toBe('dist/electron-native');
    expect((native?.filter ?? ['*']).some((pattern) => minimatch(SQLITE_ADDON, pattern))).toBe(true);
  });

  it('turns off the fuses that let Electron run as plain Node and load code from outside the asar', () => {
    expect(builder.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
  });

  it('runs only files that exist from the npm scripts (npm run serve once ran a missing bin/co.cjs)', () => {
    const scripts = Object.entries(packageJson.scripts ?? {});
    expect(scripts.map(([name]) => name)).toEqual(expect.arrayContaining(['start', 'serve', 'dist', 'build:electron-native']));
    for (const [name, command] of scripts) {
      for (const match of command.matchAll(/\bnode ([^\s&|;]+)/g)) {
        expect(existsSync(join(repoRoot, match[1] ?? '')), `npm run ${name}: ${match[1] ?? ''} exists`).toBe(true);
      }
    }
  });
});
