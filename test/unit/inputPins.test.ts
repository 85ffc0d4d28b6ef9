// Input validation and the playground that a mutation audit found unpinned: the webview protocol's validator and UI
// state repair, the playground's config validation and export, the charts' time series, the scenario language's
// literal values and settings, and the VS Code settings reader. Each test fails if one small break of the module
// (named in its comment) is made; where the message is the behaviour, the message is pinned whole.
import './support/vscodeStub';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_LESSON_SCROLL,
  defaultUiState,
  repairUiState,
  snippetSlotKey,
  validateWebviewMessage,
} from '../../src/views/protocol';
import type { UiState } from '../../src/views/protocol';
import { SECTION_IDS } from '../../src/lesson/sections';
import { defaultKnobs } from '../../src/model/compareView';
import type { CompareRequest } from '../../src/model/compareView';
import { PLAYGROUND_SETTING_RANGES, defaultPlaygroundConfig, playgroundToScenario, playgroundWorkloadSpec, validatePlaygroundConfig } from '../../src/scenario/playground';
import { SETTINGS } from '../../src/scenario/settings';
import { parseScenario } from '../../src/scenario/parser';
import { estimateEndMs, runWithSeries } from '../../src/scenario/series';
import { echoText, parseDuration } from '../../src/scenario/values';
import { readSettings } from '../../src/config';
import { DEFAULTS, section } from './support/configSection';
import { PINNED } from './support/seriesScenario';
import type { PlaygroundConfig, PlaygroundFault } from '../../src/scenario/playground';
import type { SettingValue } from '../../src/scenario/ast';

const COMPARE: CompareRequest = { kind: 'write-heavy', ops: 1000, keys: 100, seed: 7, knobs: defaultKnobs() };
const STATE: UiState = {
  v: 1,
  route: 'lesson',
  section: 'write-behind',
  diagrams: { 'write-behind/2': { variant: 'crash-before-flush', step: 7 } },
  snippetLanguage: 'python',
};

/** The validator's error for `raw` (fails the test if it accepts it). */
function errorOf(raw: unknown): string {
  const r = validateWebviewMessage(raw);
  assert.equal(r.ok, false, `expected a rejection of ${JSON.stringify(raw)?.slice(0, 120)}`);
  return r.ok ? '' : r.error;
}

function accepts(raw: unknown): void {
  const r = validateWebviewMessage(raw);
  assert.deepEqual(r, { ok: true, msg: raw }, r.ok ? '' : r.error);
}

const stateWith = (patch: Record<string, unknown>): unknown => ({ type: 'state/changed', state: { ...STATE, ...patch } });

describe('webview protocol: the words of a rejection', () => {
  it('quotes a value outside its set whole up to 40 characters, and cuts a longer one at 40', () => {
    // Breaks: oneOf's cut at `>= 40` instead of `> 40`; the choices joined by ' | ' instead of ', '.
    const ids = SECTION_IDS.join(', ');
    const forty = 'x'.repeat(40);
    assert.equal(errorOf({ type: 'lesson/open', section: forty }), `lesson/open: "section" must be a lesson section id (${ids}), got "${forty}"`);
    assert.equal(errorOf({ type: 'lesson/open', section: `${forty}y` }), `lesson/open: "section" must be a lesson section id (${ids}), got "${forty}…"`);
  });

  it('names an undeclared field by its first 40 characters', () => {
    // Break: checkObject's unexpected-field name cut at 20 characters.
    const key = `${'k'.repeat(40)}zzz`;
    assert.equal(errorOf({ type: 'quiz/start', [key]: 1 }), `quiz/start: unexpected field "${'k'.repeat(40)}"`);
  });

  it('quotes an unknown message type by its first 60 characters', () => {
    // Break: the unknown type cut at 80 characters.
    assert.equal(errorOf({ type: 't'.repeat(100) }), `unknown message type "${'t'.repeat(60)}…"`);
  });

  it('names the diagram slot whose step is wrong', () => {
    // Break: record() checks a value under the record's own path, so the slot was not named.
    assert.equal(
      errorOf(stateWith({ diagrams: { 'a/1': { variant: 'wal', step: -1 } } })),
      'state/changed: "state.diagrams[a/1].step" must be a whole number from 0 to 100000, got -1',
    );
    // A long slot key is cut at 40 characters there too, as in the message for a key that is not a slot id.
    assert.equal(
      errorOf(stateWith({ diagrams: { ['k'.repeat(60)]: { variant: 'wal', step: -1 } } })),
      `state/changed: "state.diagrams[${'k'.repeat(40)}…].step" must be a whole number from 0 to 100000, got -1`,
    );
  });

  it('says whether the playground was run must be true or false', () => {
    // Break: the bool check accepts anything.
    const config = { strategy: 'write-behind', settings: {}, workload: { kind: 'mixed', ops: 5, keys: 2, distribution: 'zipf', clients: 1, intervalMs: 10, seed: 1 }, faults: [] };
    assert.equal(
      errorOf(stateWith({ playground: { config, ran: 'yes' } })),
      'state/changed: "state.playground.ran" must be true or false, got a string of 3 characters',
    );
  });

  it('quotes the first five problems of a playground config', () => {
    // Break: only the first problem quoted.
    const config = { strategy: 'x', settings: 'none', workload: null, faults: 'none', colour: 'blue' };
    assert.equal(
      errorOf({ type: 'playground/run', requestId: 'p:1', config }),
      'playground/run: "config" is not a valid playground config: colour: unknown field; expected strategy, preset, settings, workload, faults; '
        + 'strategy: expected one of write-through, write-behind, write-around, cache-aside, write-through+cache-aside, got "x"; '
        + 'settings: expected an object of setting name -> value, got "none"; workload: expected an object, got null; '
        + 'faults: expected a list of faults, got "none"',
    );
  });
});

describe('webview protocol: bounds', () => {
  it('accepts each whole-number field at its maximum', () => {
    // Break: int() with `v < max` instead of `v <= max`.
    accepts(stateWith({ lessonScroll: MAX_LESSON_SCROLL }));
    accepts(stateWith({ route: 'quiz', quizReview: { attempt: 0xffff_ffff, questionId: 'wt-ack' } }));
    accepts(stateWith({ diagrams: { 'a/1': { variant: null, step: 100_000 } } }));
    accepts({ type: 'debug/jump', scenario: '/a.cachescenario', seq: 1_000_000_000 });
  });

  it('accepts 64 diagram slots', () => {
    // Break: the record's bound `>= maxEntries` instead of `> maxEntries`.
    const diagrams = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`s/${i}`, { variant: null, step: 0 }]));
    accepts(stateWith({ diagrams }));
  });

  it('refuses a scenario file name with anything after .cachescenario', () => {
    // Break: SCENARIO_FILE_PATTERN without its `$`: a name could go on into a path that leaves the scenarios folder.
    for (const file of ['c01.cachescenario/../../package.json', 'c01.cachescenario.bak']) {
      assert.equal(
        errorOf({ type: 'scenario/open', file, mode: 'edit' }),
        'scenario/open: "file" must be a bundled scenario file name like c01-name.cachescenario',
      );
    }
  });

  it('treats an optional field sent as undefined (structured clone keeps it) as absent', () => {
    // Break: checkObject checks a present-but-undefined field instead of treating it as not given.
    accepts(stateWith({ compare: undefined, playground: undefined, quizReview: undefined, lessonScroll: undefined }));
  });
});

describe('webview protocol: the names a snippet slot goes by', () => {
  it('is snippet/<strategy>, the key stored states keep its run under', () => {
    // Break: another prefix: a state saved by an earlier session would no longer restore the snippet's run.
    assert.equal(snippetSlotKey('write-behind'), 'snippet/write-behind');
    assert.equal(snippetSlotKey('write-through+cache-aside'), 'snippet/write-through+cache-aside');
  });
});

describe('repairUiState', () => {
  it('drops a stored comparison with a field the validator does not know, as the validator refuses it', () => {
    // Break: repair keeps any request validateCompareRequest accepts, unknown fields and all.
    assert.deepEqual(repairUiState({ ...STATE, compare: { ...COMPARE, clients: 9 } }), STATE);
    assert.deepEqual(repairUiState({ ...STATE, compare: { ...COMPARE, knobs: { ...COMPARE.knobs, wal: true } } }), STATE);
    assert.deepEqual(repairUiState({ ...STATE, compare: COMPARE }), { ...STATE, compare: COMPARE });
  });

  it('keeps at most 64 diagram slots, so the repaired state is one the validator accepts', () => {
    // Break: every stored slot kept.
    const diagrams = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`s/${i}`, { variant: null, step: i }]));
    const repaired = repairUiState({ ...defaultUiState(), diagrams });
    assert.deepEqual(Object.keys(repaired.diagrams), Array.from({ length: 64 }, (_, i) => `s/${i}`));
    accepts({ type: 'state/changed', state: repaired });
  });
});

describe('playground config: limits, each at its bound', () => {
  /** A small valid config, edited. */
  function cfg(edit: (c: PlaygroundConfig) => void = () => {}): PlaygroundConfig {
    const c = defaultPlaygroundConfig();
    c.workload.ops = 20;
    c.workload.keys = 4;
    edit(c);
    return c;
  }
  const errorsOf = (raw: unknown): string[] => {
    const v = validatePlaygroundConfig(raw);
    assert.equal(v.ok, false, 'expected the config to be rejected');
    return v.ok ? [] : v.errors;
  };
  const ok = (raw: unknown): PlaygroundConfig => {
    const v = validatePlaygroundConfig(raw);
    assert.ok(v.ok, v.ok ? '' : v.errors.join('\n'));
    return v.config;
  };

  it('workload keys: up to 10,000', () => {
    // Break: maxKeys 9,999.
    ok(cfg((c) => (c.workload.keys = 10_000)));
    assert.deepEqual(errorsOf(cfg((c) => (c.workload.keys = 10_001))), ['workload.keys: expected a whole number from 1 to 10,000, got 10,001']);
  });

  it('workload interval: up to 60,000 ms', () => {
    // Break: maxIntervalMs 59,999.
    ok(cfg((c) => (c.workload.intervalMs = 60_000)));
    assert.deepEqual(errorsOf(cfg((c) => (c.workload.intervalMs = 60_001))), ['workload.intervalMs: expected a whole number from 1 to 60,000 ms, got 60,001']);
  });

  it('faults: up to 50', () => {
    // Breaks: maxFaults 49; the bound `>=` instead of `>`.
    const fault = (i: number): PlaygroundFault => ({ kind: 'db-fail-next', atMs: i, writes: 1 });
    assert.equal(ok(cfg((c) => (c.faults = Array.from({ length: 50 }, (_, i) => fault(i))))).faults.length, 50);
    assert.deepEqual(errorsOf(cfg((c) => (c.faults = Array.from({ length: 51 }, (_, i) => fault(i))))), ['faults: at most 50 faults, got 51']);
  });

  it('failing writes of one fault: 1 to 1,000', () => {
    // Breaks: maxFailingWrites 999; the lower bound 0 (a fault that fails nothing).
    ok(cfg((c) => (c.faults = [{ kind: 'db-fail-next', atMs: 0, writes: 1000 }])));
    assert.deepEqual(errorsOf(cfg((c) => (c.faults = [{ kind: 'db-fail-next', atMs: 0, writes: 1001 }]))), ['faults[0].writes: expected a whole number from 1 to 1,000, got 1,001']);
    assert.deepEqual(errorsOf(cfg((c) => (c.faults = [{ kind: 'db-fail-next', atMs: 0, writes: 0 }]))), ['faults[0].writes: expected a whole number from 1 to 1,000, got 0']);
  });

  it('a database outage lasts at least 1 ms', () => {
    // Break: forMs from 0 (`fail db for 0ms`, an outage that is none).
    assert.deepEqual(errorsOf(cfg((c) => (c.faults = [{ kind: 'db-down', atMs: 0, forMs: 0 }]))), ['faults[0].forMs: expected a whole number from 1 to 3,600,000 ms, got 0']);
  });

  it('cache.ttl: at least 1 ms, as the language requires', () => {
    // Break: the playground's ttl range from 0 (its export would not parse).
    ok(cfg((c) => (c.settings = { 'cache.ttl': 1 })));
    assert.deepEqual(errorsOf(cfg((c) => (c.settings = { 'cache.ttl': 0 }))), ['settings["cache.ttl"]: expected a whole number from 1 to 86,400,000 ms, got 0']);
  });

  it('writeBehind.retryBackoff: 1 to 10', () => {
    // Break: its max 100.
    ok(cfg((c) => (c.settings = { 'writeBehind.retryBackoff': 10 })));
    assert.deepEqual(errorsOf(cfg((c) => (c.settings = { 'writeBehind.retryBackoff': 11 }))), ['settings["writeBehind.retryBackoff"]: expected a whole number from 1 to 10, got 11']);
  });

  it('a client delay: 0 to 60,000 ms', () => {
    // Breaks: CLIENT_DELAY_RANGE max 6,000; the message without its unit.
    ok(cfg((c) => (c.settings = { 'client.c1.delay': 60_000, 'client.c2.delay': 0 })));
    assert.deepEqual(errorsOf(cfg((c) => (c.settings = { 'client.c1.delay': 60_001 }))), ['settings["client.c1.delay"]: expected a whole number from 0 to 60,000 ms, got 60,001']);
  });

  it('settings: up to 64', () => {
    // Break: the bound `>=` instead of `>`.
    const many = (n: number): Record<string, SettingValue> => Object.fromEntries(Array.from({ length: n }, (_, i) => [`client.c${i}.delay`, 1]));
    assert.equal(Object.keys(ok(cfg((c) => (c.settings = many(64)))).settings).length, 64);
    assert.deepEqual(errorsOf(cfg((c) => (c.settings = many(65)))), ['settings: at most 64 settings, got 65']);
  });
});

describe('playground config: the words of a rejection', () => {
  it('lists the fields an object may have when it has one more', () => {
    // Break: "unknown field" without the fields expected.
    const c = { ...defaultPlaygroundConfig(), colour: 'blue' };
    assert.deepEqual(validatePlaygroundConfig(c), { ok: false, errors: ['colour: unknown field; expected strategy, preset, settings, workload, faults'] });
  });

  it('names a setting by its first 37 characters and "..." when it is longer than 40', () => {
    // Break: the cut at 60 characters.
    const name = `client.${'x'.repeat(40)}`;
    const v = validatePlaygroundConfig({ ...defaultPlaygroundConfig(), settings: { [name]: 1 } });
    assert.equal(v.ok, false);
    assert.match(v.ok ? '' : (v.errors[0] ?? ''), new RegExp(`^settings\\["client\\.${'x'.repeat(30)}\\.\\.\\."\\]: unknown setting \\(settings: `));
  });
});

describe('playground config: defaults and what is accepted as absent', () => {
  it('the default config', () => {
    // Break: the default workload's ops 400.
    assert.deepEqual(defaultPlaygroundConfig(), {
      strategy: 'write-behind',
      settings: {},
      workload: { kind: 'mixed', ops: 500, keys: 50, distribution: 'zipf', clients: 4, intervalMs: 10, seed: 1, preload: true },
      faults: [],
    });
  });

  it('a null preset is no preset', () => {
    // Break: null checked as a preset name.
    const v = validatePlaygroundConfig({ ...defaultPlaygroundConfig(), preset: null });
    assert.ok(v.ok);
    assert.equal('preset' in v.config, false);
  });
});

describe('playground config: values the language would refuse', () => {
  it('writeBehind.flushSize: at least 1, like the language (the setting\'s own minimum)', () => {
    // Breaks: the fallback range from 0 instead of the setting's min; the setting's min 0 (checked by the parser too).
    const v = validatePlaygroundConfig({ ...defaultPlaygroundConfig(), settings: { 'writeBehind.flushSize': 0 } });
    assert.equal(v.ok, false);
    assert.equal(v.ok ? '' : v.errors[0], 'settings["writeBehind.flushSize"]: expected a whole number from 1 to 1,000,000, got 0');
    const problems = parseScenario('strategy write-behind\nset writeBehind.flushSize 0').diagnostics.map((d) => `${d.severity}: ${d.message}`);
    assert.deepEqual(problems, ['error: writeBehind.flushSize must be at least 1, got 0']);
  });

  it('says what a count-or-off setting takes, a bad preload, and a long string by its length', () => {
    // Breaks: the count-or-off message without "or null for off"; a bad preload not reported (taken as true);
    // describe() quoting a string longer than 30 characters whole.
    const c = defaultPlaygroundConfig();
    const raw = { ...c, settings: { 'writeBehind.maxQueue': 'off' }, workload: { ...c.workload, preload: 'yes', distribution: 'x'.repeat(31) } };
    assert.deepEqual(validatePlaygroundConfig(raw), {
      ok: false,
      errors: [
        'settings["writeBehind.maxQueue"]: expected a whole number, or null for off, got "off"',
        'workload.distribution: expected one of uniform, zipf, got a string of 31 characters',
        'workload.preload: expected true or false, got "yes"',
      ],
    });
  });
});

describe('playground export', () => {
  it('words the header in the singular for one of each, without preload, settings or restart', () => {
    // Breaks: "operations", "keys", "clients", "cache nodes", "settings", "writes" whatever the count; "keys preloaded"
    // without preload; "(not restarted)" left out.
    const c: PlaygroundConfig = {
      strategy: 'write-through',
      settings: {},
      workload: { kind: 'write-heavy', ops: 1, keys: 1, distribution: 'uniform', clients: 1, intervalMs: 10, seed: 1, preload: false },
      faults: [{ kind: 'crash', atMs: 5 }, { kind: 'db-fail-next', atMs: 5, writes: 1 }],
    };
    assert.equal(
      playgroundToScenario(c),
      [
        '# Exported from the Cache Workbench playground; running this file reproduces the playground run step for step.',
        '# Workload: write-heavy, 1 operation on 1 key (uniform), seed 1; 1 client, each issuing one operation every 10ms (open loop).',
        '# Setup: write-through, no settings set below, 1 cache node.',
        '# Faults: crash node1 at 5ms (not restarted); the next 1 database write fail from 5ms.',
        '',
        'strategy write-through',
        '',
        'at 0ms as c1 write key:0 {"n": 1}',
        'at 5ms crash cache node1',
        'at 5ms fail db next 1 write',
        '',
      ].join('\n'),
    );
  });

  it('writes the client delays sorted by name, whatever the order they were given in', () => {
    // Break: the client delays in the config's order.
    const c = defaultPlaygroundConfig();
    c.workload.ops = 1;
    c.settings = { 'client.c2.delay': 3, 'client.c10.delay': 4 };
    const sets = playgroundToScenario(c).split('\n').filter((l) => l.startsWith('set '));
    assert.deepEqual(sets, ['set client.c10.delay 4ms', 'set client.c2.delay 3ms']);
  });

  it('preloads a workload that does not say (the default is true)', () => {
    // Break: playgroundWorkloadSpec's preload defaulting to false.
    const w = defaultPlaygroundConfig().workload;
    delete w.preload;
    assert.equal(playgroundWorkloadSpec(w).preload, true);
  });
});

describe('runWithSeries: bounds and exact instants', () => {

  it('takes up to 2000 buckets, and says so for one more', () => {
    // Breaks: the bound `>= MAX_BUCKETS`; MAX_BUCKETS 1000.
    const p = parseScenario(PINNED);
    assert.equal(runWithSeries(p, 2000).series.endMs, 1010);
    assert.throws(() => runWithSeries(p, 2001), { name: 'RangeError', message: 'buckets must be a whole number from 1 to 2000, got 2001' });
  });

  it('starts its grid from the latest `at` or the sum of the advances, whichever is later', () => {
    // Break: estimateEndMs taking the longest advance, not their sum.
    assert.equal(estimateEndMs(parseScenario('strategy write-through\nadvance 1s\nadvance 2s\nat 500ms write k 1')), 3000);
  });

  it('keeps between buckets and 2 * buckets intervals: with 1, 3, 4 and 5 buckets (pinned)', () => {
    // Break: the grid halved at 2 * buckets points instead of beyond them (one bucket: [0, 1010], a single interval).
    const times = [1, 3, 4, 5].map((b) => runWithSeries(parseScenario(PINNED), b).series.times);
    assert.deepEqual(times, [
      [0, 1000, 1010],
      [0, 333, 666, 999, 1010],
      [0, 250, 500, 750, 1000, 1010],
      [0, 200, 400, 600, 800, 1000, 1010],
    ]);
  });

  it('stops at an event limit, its series ending where the run stopped', () => {
    // Break: the event limit not passed on.
    const { result, series } = runWithSeries(parseScenario(PINNED), 10, { eventLimit: 12 });
    assert.equal(series.endMs, 300);
    assert.deepEqual(series.times, [0, 100, 200, 300]);
    assert.deepEqual(series.acknowledgedWrites, [0, 1, 2, 3]);
    assert.equal(result.metrics.acknowledgedWrites, 3);
  });

  it('shows the instant an event limit stopped it at once, when the sampler\'s own event was the last one run', () => {
    // Break: grid points at the end instant kept (`k * bucketMs <= endMs`): the end showed twice, [0, 100, 100].
    const times = [3, 7, 13].map((eventLimit) => runWithSeries(parseScenario(PINNED), 10, { eventLimit }).series.times);
    assert.deepEqual(times, [[0, 100], [0, 100, 200], [0, 100, 200, 300]]);
  });
});

describe('literal values of the scenario language', () => {
  it('echoes text of 40 characters whole, and cuts a longer one to 37 and "..."', () => {
    // Break: the cut at `>= 40`.
    assert.equal(echoText('x'.repeat(40)), 'x'.repeat(40));
    assert.equal(echoText('x'.repeat(41)), `${'x'.repeat(37)}...`);
  });

  it('reads decimal durations without binary noise', () => {
    // Break: parseDuration without its rounding (1.1s would be 1100.0000000000002 ms).
    assert.deepEqual(['1.1s', '0.3s', '2.2m', '1.15h'].map(parseDuration), [1100, 300, 132_000, 4_140_000]);
  });
});

describe('readSettings: bounds, fallbacks and the words of a problem', () => {

  it('accepts every number at both ends of its range', () => {
    // Breaks: `raw > min` instead of `>=`; `raw < max` instead of `<=`; batchSize's max 10,000.
    const low = readSettings(section({ ...DEFAULTS, cache: { latencyMs: 0, capacity: 1 }, db: { latencyMs: 0 }, writeBehind: { ...DEFAULTS.writeBehind, flushIntervalMs: 1, batchSize: 1 } }));
    assert.deepEqual(low.problems, []);
    assert.deepEqual([low.settings.cache, low.settings.db, low.settings.writeBehind.flushIntervalMs, low.settings.writeBehind.batchSize], [{ latencyMs: 0, capacity: 1 }, { latencyMs: 0 }, 1, 1]);
    const high = readSettings(section({ ...DEFAULTS, cache: { latencyMs: 60_000, capacity: 1_000_000 }, db: { latencyMs: 60_000 }, writeBehind: { ...DEFAULTS.writeBehind, flushIntervalMs: 3_600_000, batchSize: 100_000 } }));
    assert.deepEqual(high.problems, []);
    assert.deepEqual([high.settings.cache, high.settings.db, high.settings.writeBehind.flushIntervalMs, high.settings.writeBehind.batchSize], [{ latencyMs: 60_000, capacity: 1_000_000 }, { latencyMs: 60_000 }, 3_600_000, 100_000]);
  });

  it('refuses a fraction, a flush interval of 0, and an explicit null, each falling back to its default', () => {
    // Breaks: the whole-number check dropped; flushIntervalMs from 0; null read as unset; capacity's fallback 100.
    const { settings, problems } = readSettings(section({
      ...DEFAULTS,
      cache: { latencyMs: 1, capacity: 2.5 },
      db: { latencyMs: 2.5 },
      writeBehind: { ...DEFAULTS.writeBehind, flushIntervalMs: 0, wal: null },
    }));
    assert.deepEqual(problems, [
      'cacheWorkbench.cache.capacity must be a whole number from 1 to 1000000; using 1000',
      'cacheWorkbench.db.latencyMs must be a whole number from 0 to 60000; using 10',
      'cacheWorkbench.writeBehind.flushIntervalMs must be a whole number from 1 to 3600000; using 5000',
      'cacheWorkbench.writeBehind.wal must be true or false; using false',
    ]);
    assert.deepEqual([settings.cache.capacity, settings.db.latencyMs, settings.writeBehind.flushIntervalMs, settings.writeBehind.wal], [1000, 10, 5000, false]);
  });

  it('names a long key that is not a setting by its first 60 characters', () => {
    // Break: the key shown whole.
    const key = 'z'.repeat(70);
    const { problems } = readSettings(section({ ...DEFAULTS, [key]: 1 }));
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', new RegExp(`^cacheWorkbench\\.${'z'.repeat(60)}… is not a setting \\(settings: defaultStrategy, `));
  });

  it('reports nothing for a section with no values, or an empty group of settings', () => {
    // Breaks: `above` dropped for the section itself (it was reported as "cacheWorkbench. is not a setting") and for
    // a group above settings.
    assert.deepEqual(readSettings(section({})).problems, []);
    assert.deepEqual(readSettings(section({ ...DEFAULTS, cache: {} })).problems, []);
  });
});

describe('messages that name what they refuse (review of the audit)', () => {
  it('names the diagram slot key that is not a slot id, cut at 40 characters', () => {
    // Was: `key of "state.diagrams" must be ...`, with the state holding up to 64 slots and no word of which.
    assert.equal(
      errorOf(stateWith({ diagrams: { 'a/1': { variant: null, step: 0 }, 'bad key!': { variant: 'wal', step: 1 } } })),
      'state/changed: key "bad key!" of "state.diagrams" must be letters, digits and : . / _ + -',
    );
    assert.equal(
      errorOf(stateWith({ diagrams: { [`${'x'.repeat(50)}!`]: { variant: 'wal', step: 1 } } })),
      `state/changed: key "${'x'.repeat(40)}…" of "state.diagrams" must be letters, digits and : . / _ + -`,
    );
  });

  it('gives every numeric setting a playground range, so no message quotes 9,007,199,254,740,991 as a maximum', () => {
    // Was: writeBehind.flushSize had none, and its message offered "from 1 to 9,007,199,254,740,991".
    const numeric = SETTINGS.filter((s) => s.kind === 'count' || s.kind === 'count-or-off' || s.kind === 'duration' || s.kind === 'duration-or-off').map((s) => s.name);
    assert.deepEqual(numeric.filter((n) => PLAYGROUND_SETTING_RANGES[n] === undefined), []);
    for (const n of numeric) {
      const v = validatePlaygroundConfig({ ...defaultPlaygroundConfig(), settings: { [n]: -1 } });
      assert.equal(v.ok, false, n);
      assert.doesNotMatch(v.ok ? '' : (v.errors[0] ?? ''), /9,007,199,254,740,991/, n);
    }
  });
});
