import { seededRandom } from '../prng';
import type { FakeFault, RecordedRequest, RequestMatcher } from './types';

/** Options of probabilistic fault injection. */
export interface RandomFaultOptions {
  /** Chance in [0, 1] that a matching request fails. */
  readonly probability: number;
  /** Seed of the PRNG, so a failing run can be replayed. */
  readonly seed: number;
  /** Faults to pick from uniformly (with the same PRNG). */
  readonly faults: ReadonlyArray<FakeFault>;
  /** Which requests may fail; defaults to every Messages request. */
  readonly match?: RequestMatcher;
}

interface NextFaults {
  remaining: number;
  readonly faults: ReadonlyArray<FakeFault>;
  readonly match: RequestMatcher;
  used: number;
}

/** Decides which requests fail: first the "next N" rules in order, then the random rule. */
export class FaultPlan {
  private readonly next: NextFaults[] = [];
  private random: { readonly options: RandomFaultOptions; readonly draw: () => number } | undefined;

  /** The next `count` matching requests fail, cycling through `faults`. */
  failNext(count: number, faults: FakeFault | ReadonlyArray<FakeFault>, match: RequestMatcher): void {
    const list = Array.isArray(faults) ? (faults as ReadonlyArray<FakeFault>) : [faults as FakeFault];
    if (list.length === 0) throw new Error('failNext needs at least one fault');
    this.next.push({ remaining: count, faults: list, match, used: 0 });
  }

  /** Matching requests fail with a probability; `undefined` turns random faults off. */
  failRandomly(options: RandomFaultOptions | undefined): void {
    if (options !== undefined && options.faults.length === 0) throw new Error('failRandomly needs at least one fault');
    this.random = options === undefined ? undefined : { options, draw: seededRandom(options.seed) };
  }

  /** Removes every rule. */
  clear(): void {
    this.next.length = 0;
    this.random = undefined;
  }

  /** The fault for this request, if any (consumes a "next N" slot). */
  pick(request: RecordedRequest): FakeFault | undefined {
    for (const rule of this.next) {
      if (rule.remaining > 0 && rule.match(request)) {
        rule.remaining -= 1;
        const fault = rule.faults[rule.used % rule.faults.length];
        rule.used += 1;
        return fault;
      }
    }
    const random = this.random;
    if (random !== undefined && (random.options.match ?? (() => true))(request) && random.draw() < random.options.probability) {
      const faults = random.options.faults;
      return faults[Math.floor(random.draw() * faults.length) % faults.length];
    }
    return undefined;
  }
}
