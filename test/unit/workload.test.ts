// Generated workloads: an OpList (the benchmark's operations, prepared before it times the engine) holds exactly the
// operations its OpStream generates, and a run on it is the same run as on the stream.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultOptions, STRATEGIES } from '../../src/model/types';
import { OpList, OpStream, WORKLOADS, runWorkload } from '../../src/model/workload';
import type { WorkloadSpec } from '../../src/model/workload';

const spec = (kind: WorkloadSpec['kind'], distribution: WorkloadSpec['distribution']): WorkloadSpec => ({ kind, ops: 3000, keys: 200, distribution, clients: 3, seed: 7, preload: true });

describe('OpList', () => {
  for (const kind of WORKLOADS) {
    for (const distribution of ['uniform', 'zipf'] as const) {
      it(`${kind}, ${distribution}: the same operations as the stream, and again after rewind`, () => {
        const list = new OpList(spec(kind, distribution));
        for (let pass = 0; pass < 2; pass++) {
          const stream = new OpStream(spec(kind, distribution));
          assert.equal(list.remaining, 3000);
          while (stream.advance()) {
            assert.equal(list.advance(), true);
            assert.deepEqual([list.kind, list.key, list.n], [stream.kind, stream.key, stream.n]);
            assert.equal(list.remaining, stream.remaining);
          }
          assert.equal(list.advance(), false);
          list.rewind();
        }
      });
    }
  }

  it('a run on the prepared list equals a run on the stream, for every strategy, with a crash', () => {
    for (const strategy of STRATEGIES) {
      const o = defaultOptions(strategy);
      o.trace = true;
      o.writeBehind.flushIntervalMs = 200;
      const s = spec('mixed', 'zipf');
      const a = runWorkload(o, s, { crashAfterOps: 1500 });
      const b = runWorkload(o, s, { crashAfterOps: 1500 }, new OpList(s));
      assert.deepEqual(b.metrics, a.metrics, strategy);
      assert.deepEqual(b.engine.steps, a.engine.steps, strategy);
      assert.ok(a.metrics.reads > 0 && a.metrics.acknowledgedWrites > 0);
    }
  });
});
