// Random `.cachescenario` programs for fuzzing what runs them (the runner, the debugger's recording and navigation):
// any setting at any value the language allows (bounds, fractions, units, `off`), presets, operations, faults and
// expectations in any order. Most of them parse; callers skip the ones that do not.
import fc from 'fast-check';
import { PRESET_NAMES } from '../../src/scenario/parser';
import { SETTINGS } from '../../src/scenario/settings';
import type { SettingSpec } from '../../src/scenario/settings';
import { STRATEGIES } from '../../src/model/types';

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
  'fail db next 1 reply',
  'at 3s fail db next 2 replies',
  'shutdown cache node2 timeout 1s',
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

/** A whole scenario: strategy, maybe a preset, two nodes, random settings, a row, then 1-10 statements. */
export const scenarioText: fc.Arbitrary<string> = fc
  .record({
    strategy: fc.constantFrom(...STRATEGIES),
    preset: fc.option(fc.constantFrom(...PRESET_NAMES), { nil: undefined }),
    settings: fc.array(settingLine, { maxLength: 6 }),
    actions: fc.array(fc.constantFrom(...ACTIONS), { minLength: 1, maxLength: 10 }),
  })
  .map(({ strategy, preset, settings, actions }) => [`strategy ${strategy}`, ...(preset ? [`preset ${preset}`] : []), 'set cache.nodes 2', ...settings, 'load k1 0', ...actions].join('\n'));

