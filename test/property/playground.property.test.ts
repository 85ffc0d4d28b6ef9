// Properties of the playground over random small configs (up to 200 ops, random settings and faults): the export
// parses without errors and is deterministic, and its run yields a well-formed series that ends on the final metrics.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { STRATEGIES } from '../../src/model/types';
import { WORKLOADS } from '../../src/model/workload';
import { PRESET_NAMES, parseScenario } from '../../src/scenario/parser';
import { playgroundToScenario, runPlayground, validatePlaygroundConfig } from '../../src/scenario/playground';
import type { PlaygroundConfig, PlaygroundFault } from '../../src/scenario/playground';
import type { SettingValue } from '../../src/scenario/ast';

const settingsArb = (nodes: number): fc.Arbitrary<Record<string, SettingValue>> =>
  fc
    .record(
      {
        'cache.capacity': fc.integer({ min: 1, max: 50 }),
        'cache.ttl': fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 2000 })),
        'cache.latency': fc.integer({ min: 0, max: 5 }),
        'db.latency': fc.integer({ min: 0, max: 30 }),
        'writeBehind.flushInterval': fc.integer({ min: 0, max: 3000 }),
        'writeBehind.writeDelay': fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 3000 })),
        'writeBehind.batchSize': fc.integer({ min: 1, max: 20 }),
        'writeBehind.coalescing': fc.boolean(),
        'writeBehind.maxQueue': fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 20 })),
        'writeBehind.whenFull': fc.constantFrom('block', 'reject', 'flush'),
        'writeBehind.retryDelay': fc.integer({ min: 1, max: 2000 }),
        'writeBehind.requeueLimit': fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 3 })),
        'writeBehind.wal': fc.boolean(),
        'writeBehind.backup': fc.boolean(),
        'writeBehind.shutdownTimeout': fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 3000 })),
        'writeBehind.delivery': fc.constantFrom('at-least-once', 'exactly-once'),
        'client.c2.delay': fc.integer({ min: 0, max: 10 }),
      },
      { requiredKeys: [] },
    )
    .map((s) => (nodes > 1 ? { ...s, 'cache.nodes': nodes } : s));

const faultArb = (nodes: number): fc.Arbitrary<PlaygroundFault> =>
  fc.oneof(
    fc
      .record({ atMs: fc.integer({ min: 0, max: 3000 }), node: fc.option(fc.integer({ min: 1, max: nodes }), { nil: undefined }), restartAfterMs: fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined }) })
      .map(({ atMs, node, restartAfterMs }) => {
        const f: PlaygroundFault = { kind: 'crash', atMs };
        if (node !== undefined) f.node = node;
        if (restartAfterMs !== undefined) f.restartAfterMs = restartAfterMs;
        return f;
      }),
    fc
      .record({
        atMs: fc.integer({ min: 0, max: 3000 }),
        node: fc.option(fc.integer({ min: 1, max: nodes }), { nil: undefined }),
        timeoutMs: fc.option(fc.integer({ min: 0, max: 2000 }), { nil: undefined }),
        restartAfterMs: fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined }),
      })
      .map(({ atMs, node, timeoutMs, restartAfterMs }) => {
        const f: PlaygroundFault = { kind: 'shutdown', atMs };
        if (node !== undefined) f.node = node;
        if (timeoutMs !== undefined) f.timeoutMs = timeoutMs;
        if (restartAfterMs !== undefined) f.restartAfterMs = restartAfterMs;
        return f;
      }),
    fc.record({ kind: fc.constant('db-down' as const), atMs: fc.integer({ min: 0, max: 3000 }), forMs: fc.integer({ min: 1, max: 2000 }) }),
    fc.record({ kind: fc.constant('db-fail-next' as const), atMs: fc.integer({ min: 0, max: 3000 }), writes: fc.integer({ min: 1, max: 5 }) }),
    fc.record({ kind: fc.constant('db-lose-replies' as const), atMs: fc.integer({ min: 0, max: 3000 }), replies: fc.integer({ min: 1, max: 5 }) }),
    fc.record({ kind: fc.constant('db-refuse-key' as const), atMs: fc.integer({ min: 0, max: 3000 }), key: fc.integer({ min: 0, max: 19 }), forMs: fc.integer({ min: 1, max: 2000 }) }),
  );

const configArb: fc.Arbitrary<PlaygroundConfig> = fc.integer({ min: 1, max: 3 }).chain((nodes) =>
  fc
    .record({
      strategy: fc.constantFrom(...STRATEGIES),
      preset: fc.option(fc.constantFrom(...PRESET_NAMES), { nil: undefined }),
      settings: settingsArb(nodes),
      workload: fc.record({
        kind: fc.constantFrom(...WORKLOADS),
        ops: fc.integer({ min: 1, max: 200 }),
        keys: fc.integer({ min: 1, max: 20 }),
        distribution: fc.constantFrom('uniform' as const, 'zipf' as const),
        clients: fc.integer({ min: 1, max: 6 }),
        intervalMs: fc.integer({ min: 1, max: 50 }),
        seed: fc.integer({ min: 0, max: 0xffff_ffff }),
        preload: fc.boolean(),
      }),
      faults: fc.array(faultArb(nodes), { maxLength: 4 }),
    })
    // A poison row names one of the workload's keys (key:0 .. key:N-1).
    .map(({ preset, ...rest }) => {
      const faults = rest.faults.map((f) => (f.kind === 'db-refuse-key' ? { ...f, key: f.key % rest.workload.keys } : f));
      return preset === undefined ? { ...rest, faults } : { ...rest, faults, preset };
    }),
);

/** The same config with every object's keys in reverse order: the export must not depend on key order. */
function reordered<T>(v: T): T {
  if (Array.isArray(v)) return v.map(reordered) as T;
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reordered(x)])) as T;
  return v;
}

describe('playground properties', () => {
  it('every valid config exports text that parses without errors, deterministically', () => {
    fc.assert(
      fc.property(configArb, (config) => {
        const v = validatePlaygroundConfig(config);
        assert.ok(v.ok, v.ok ? '' : v.errors.join('\n'));
        const text = playgroundToScenario(config);
        const errors = parseScenario(text).diagnostics.filter((d) => d.severity === 'error');
        assert.deepEqual(errors, [], text);
        assert.equal(playgroundToScenario(config), text);
        assert.equal(playgroundToScenario(reordered(config)), text);
        assert.equal(playgroundToScenario(v.config), text);
      }),
      { numRuns: 200 },
    );
  });

  it('every run yields a well-formed series ending on the final metrics', () => {
    fc.assert(
      fc.property(configArb, fc.integer({ min: 1, max: 40 }), (config, buckets) => {
        const { result, series } = runPlayground(config, buckets);
        const n = series.times.length;
        for (const f of ['queueDepth', 'dbWrites', 'acknowledgedWrites', 'hitRatio', 'staleReads', 'lostWrites'] as const) {
          assert.equal(series[f].length, n);
          assert.equal(series[f][n - 1], result.metrics[f]);
        }
        for (let i = 1; i < n; i++) {
          assert.ok((series.times[i] as number) > (series.times[i - 1] as number));
          assert.ok((series.dbWrites[i] as number) >= (series.dbWrites[i - 1] as number));
          assert.ok((series.acknowledgedWrites[i] as number) >= (series.acknowledgedWrites[i - 1] as number));
          assert.ok((series.staleReads[i] as number) >= (series.staleReads[i - 1] as number));
        }
        assert.equal(series.times[n - 1], series.endMs);
        if (series.endMs >= buckets) assert.ok(n - 1 >= buckets && n - 1 <= 2 * buckets, `${n - 1} intervals for ${buckets} buckets`);
      }),
      { numRuns: 100 },
    );
  });
});
