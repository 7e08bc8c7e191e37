import { methods, type MethodName } from '../../src-shared/rpc/contract';
import { seededRandom } from './prng';

/** One generated call of the fuzz test; its input is JSON text (JSON.stringify cannot write 10,000 levels of nesting). */
export interface FuzzCall {
  readonly method: MethodName;
  readonly inputJson: string;
  /** What was changed, for failure messages. */
  readonly label: string;
}

/** JSON text given as is. */
class RawJson {
  constructor(readonly text: string) {}
}

function nested(depth: number): RawJson {
  return new RawJson(`${'['.repeat(depth)}"bottom"${']'.repeat(depth)}`);
}

function toJson(value: unknown): string {
  return value instanceof RawJson ? value.text : JSON.stringify(value);
}

/** Values no field accepts, or accepts only within its limits: wrong types, huge and odd strings, path tricks, deep nesting. */
export function fuzzValues(sandbox: string): ReadonlyArray<readonly [string, unknown]> {
  return [
    ['number', 42],
    ['negative float', -1.5],
    ['boolean', true],
    ['null', null],
    ['empty array', []],
    ['empty object', {}],
    // Longer than every field's limit but the PRD's (tested on its own); megabyte messages are the WebSocket's to refuse.
    ['120,000-character string', 'A'.repeat(120_000)],
    ['120,000 characters of emoji', '☃😀'.repeat(40_000)],
    ['control and lone surrogate characters', '\u0000\u202e\ufeff\ud800x\u0007'],
    ['relative path escape', '../../../../etc/passwd'],
    ['path through ..', `${sandbox}/missing/../../elsewhere`],
    ['path with NUL', `${sandbox}/project\u0000/x`],
    ['a file that is not a folder', '/proc/self/mem'],
    ['device', '/dev/null'],
    ['Windows and UNC paths', 'C:\\Windows\\..\\\\server\\share'],
    ['nested 40 levels', nested(40)],
    ['nested 10,000 levels', nested(10_000)],
    ['20,000-item array', Array.from({ length: 20_000 }, () => '1')],
    ['object with 5,000 keys', Object.fromEntries(Array.from({ length: 5_000 }, (_, index) => [`k${index}`, index]))],
    ['__proto__ key', new RawJson('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}')],
  ];
}

/** The keys of a method's input object, read from its zod schema. */
export function inputKeys(method: MethodName): ReadonlyArray<string> {
  const shape = (methods[method].input as unknown as { shape?: Record<string, unknown> }).shape;
  return shape === undefined ? [] : Object.keys(shape);
}

/**
 * Calls for every method of the contract (read from its table, so methods added later are
 * covered): the whole input replaced by each value, and each field (plus an unknown one) set
 * to a sample of the values while `project` names a real project. Deterministic for a seed.
 */
export function fuzzCalls(options: { readonly project: string; readonly sandbox: string; readonly perMethod: number; readonly seed: number }): FuzzCall[] {
  const random = seededRandom(options.seed);
  const values = fuzzValues(options.sandbox);
  const calls: FuzzCall[] = [];
  for (const method of Object.keys(methods) as MethodName[]) {
    const keys = inputKeys(method);
    const base = keys.includes('project') ? { project: options.project } : {};
    const candidates: FuzzCall[] = values.map(([label, value]) => ({ method, inputJson: toJson(value), label: `input = ${label}` }));
    for (const key of [...keys, 'unexpectedField']) {
      const others = Object.entries(base).filter(([name]) => name !== key);
      for (const [label, value] of values) {
        const fields = [...others.map(([name, item]) => `${JSON.stringify(name)}:${JSON.stringify(item)}`), `${JSON.stringify(key)}:${toJson(value)}`];
        candidates.push({ method, inputJson: `{${fields.join(',')}}`, label: `${key} = ${label}` });
      }
    }
    for (let picked = 0; picked < options.perMethod && candidates.length > 0; picked += 1) {
      const index = Math.floor(random() * candidates.length);
      const [call] = candidates.splice(index, 1);
      if (call !== undefined) calls.push(call);
    }
  }
  return calls;
}
