// Building blocks of the engine's unit tests: an engine for a strategy (options tweaked), and operations issued at an
// absolute virtual time with their results collected.
import { Engine } from '../../../src/model/engine';
import type { OpRequest, OpResult } from '../../../src/model/engine';
import { defaultOptions } from '../../../src/model/types';
import type { EngineOptions, Strategy } from '../../../src/model/types';

export function engine(strategy: Strategy, tweak: (o: EngineOptions) => void = () => {}): Engine {
  const o = defaultOptions(strategy);
  tweak(o);
  return new Engine(o);
}

/** Issue an operation at an absolute virtual time and collect its result. */
export function at(e: Engine, time: number, req: Partial<OpRequest> & Pick<OpRequest, 'kind' | 'key'>, out: OpResult[] = []): OpResult[] {
  e.sched.at(time, () => e.issue({ client: 'app', node: 1, line: null, ...req }, (r) => out.push(r)));
  return out;
}
