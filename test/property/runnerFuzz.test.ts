// Fuzzes the scenario runner and the debugger's recording with programs the parser accepts: any setting at any value
// the language allows (bounds, fractions, units, `off`), presets, operations, faults and expectations in any order.
// What parses must run: no throw, the simulation starts, and the debugger can record it. Found: a TTL of `1.5ms`
// parsed, then lru-cache refused it and the run threw; `cache.nodes 200000` parsed and ran the process out of memory.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { recordScenario } from '../../src/debug/runtime';
import { PRESET_NAMES, parseScenario } from '../../src/scenario/parser';
import { runProgram } from '../../src/scenario/runner';
import { SETTINGS } from '../../src/scenario/settings';
import type { SettingSpec } from '../../src/scenario/settings';
import { STRATEGIES } from '../../src/model/types';

const RUNS = 400;

/** Small numbers mostly, the bounds sometimes (a capacity of 1,000,000 allocates tens of MB per node: kept rare). */
const countText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 12 }).map(String), weight: 8 },
  { arbitrary: fc.constantFrom('100', '1000', '65536'), weight: 2 },
  { arbitrary: fc.constantFrom('1000000', '1000001', '9', '8', '2000000000', '1e3', '1.5', '-1'), weight: 1 },
);

const durationText: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(fc.integer({ min: 0, max: 5000 }).map(String), fc.constantFrom('0.5', '1.5', '0.25', '2.75', '0.001', '99999')),
    fc.constantFrom('ms', 's', 'm', 'h'),
  )
  .map(([n, unit]) => `${n}${unit}`);

function valueText(spec: SettingSpec): fc.Arbitrary<string> {
  switch (spec.kind) {
    case 'count':
      return countText;
    case 'count-or-off':
      return fc.oneof(countText, fc.constant('off'));
    case 'duration':
      return durationText;
    case 'duration-or-off':
      return fc.oneof(durationText, fc.constant('off'));
    case 'on-off':
      return fc.constantFrom('on', 'off', 'true', 'false');
    case 'enum':
      return fc.constantFrom(...(spec.choices ?? ['?']));
  }
}

const settingLine: fc.Arbitrary<string> = fc.oneof(
  fc
    .constantFrom(...SETTINGS)
    .chain((spec) => valueText(spec).map((v) => `set ${spec.name} ${v}`)),
  durationText.map((d) => `set client.bob.delay ${d}`),
);

const ACTIONS = [
  'write k1 1',
  'write k2 {"a": [1, 2]}',
  'incr k3',
  'incr k3 5 via node2',
  'read k1',
  'read k2 via node2',
  'read-db k1',
  'at 5ms as bob write k1 7',
  'at 1s as carol read k1',
  'advance 2s',
  'crash cache',
  'restart cache',
  'crash cache node2',
  'restart cache node2',
  'fail db for 3s',
  'fail db next 2 writes',
  'recover db',
  'expect value 1',
  'expect ok',
  'expect error',
  'expect stale',
  'expect fresh',
  'expect db k1 == 1',
  'expect cache k1 missing',
  'expect metric lostWrites == 0',
  'expect metric writeLatencyMs.p99 < 100',
];

const program: fc.Arbitrary<string> = fc
  .record({
    strategy: fc.constantFrom(...STRATEGIES),
    preset: fc.option(fc.constantFrom(...PRESET_NAMES), { nil: undefined }),
    settings: fc.array(settingLine, { maxLength: 6 }),
    actions: fc.array(fc.constantFrom(...ACTIONS), { minLength: 1, maxLength: 10 }),
  })
  .map(({ strategy, preset, settings, actions }) => [`strategy ${strategy}`, ...(preset ? [`preset ${preset}`] : []), 'set cache.nodes 2', ...settings, 'load k1 0', ...actions].join('\n'));

describe('every scenario the parser accepts runs', () => {
  it('runProgram never throws and the simulation starts; the debugger records it', () => {
    let ran = 0;
    fc.assert(
      fc.property(program, (text) => {
        const parsed = parseScenario(text);
        if (parsed.diagnostics.some((d) => d.severity === 'error')) return;
        ran++;
        const r = runProgram(parsed, { eventLimit: 200_000 });
        assert.equal(r.started, true, `${r.errors.map((e) => e.message).join('; ')}\n--- scenario ---\n${text}`);
        const rec = recordScenario('fuzz.cachescenario', text);
        assert.ok(rec.ok || /: too large to step through: /.test(rec.message), `${rec.ok ? '' : rec.message}\n--- scenario ---\n${text}`);
      }),
      { numRuns: RUNS },
    );
    // Most programs must get past the parser, or this would test nothing.
    assert.ok(ran > RUNS / 3, `only ${ran} of ${RUNS} programs parsed`);
  });

  it('a setting beyond the engine\'s limits is a diagnostic that names the bound', () => {
    const cases: [string, RegExp][] = [
      ['set cache.ttl 1.5ms', /cache\.ttl must be a whole number of milliseconds, got 1\.5ms/],
      ['set cache.nodes 200000', /cache\.nodes must be at most 8, got 200,000/],
      ['set cache.capacity 2000000000', /cache\.capacity must be at most 1,000,000, got 2,000,000,000/],
    ];
    for (const [line, message] of cases) {
      const p = parseScenario(`strategy write-through\n${line}\nwrite a 1`);
      const errors = p.diagnostics.filter((d) => d.severity === 'error');
      assert.equal(errors.length, 1, line);
      assert.match(errors[0]?.message ?? '', message);
      assert.deepEqual([errors[0]?.line, errors[0]?.column], [2, line.lastIndexOf(' ') + 2], line);
    }
  });
});
