// The comparison and playground forms as data: typed text becomes the request or config the pure core validates,
// each validation message lands under the field it names, and a config survives the round trip through the form.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultKnobs } from '../../src/model/compareView';
import { defaultPlaygroundConfig, validatePlaygroundConfig } from '../../src/scenario/playground';
import type { PlaygroundConfig } from '../../src/scenario/playground';
import { PRESETS } from '../../src/model/presets';
import { defaultOptions } from '../../src/model/types';
import { SETTINGS, findSetting } from '../../src/scenario/settings';

import type * as CompareFormModule from '../../webview/compareForm.js' with { 'resolution-mode': 'import' };
import type * as PlaygroundFormModule from '../../webview/playgroundForm.js' with { 'resolution-mode': 'import' };
import type * as FormsModule from '../../webview/forms.js' with { 'resolution-mode': 'import' };
let CF: typeof CompareFormModule;
let PF: typeof PlaygroundFormModule;
let F: typeof FormsModule;
before(async () => {
  CF = await import('../../webview/compareForm.js');
  PF = await import('../../webview/playgroundForm.js');
  F = await import('../../webview/forms.js');
});

describe('comparison form', () => {
  it('defaults to the CLI\'s defaults', () => {
    assert.deepEqual(CF.defaultCompareRequest(), { kind: 'mixed', ops: 10_000, keys: 1000, seed: 1, knobs: defaultKnobs() });
  });

  it('turns valid text into the request', () => {
    const d = { ...CF.draftOf(CF.defaultCompareRequest()), kind: 'counters', ops: '100000', dbLatencyMs: '25', coalescing: false };
    const { request, errors } = CF.checkDraft(d);
    assert.deepEqual(errors, {});
    assert.deepEqual(request, { kind: 'counters', ops: 100_000, keys: 1000, seed: 1, knobs: { ...defaultKnobs(), dbLatencyMs: 25, coalescing: false } });
  });

  it('files each problem under its field', () => {
    const d = { ...CF.draftOf(CF.defaultCompareRequest()), ops: '100001', keys: '', flushIntervalMs: '0', seed: '1.5' };
    const { request, errors } = CF.checkDraft(d);
    assert.equal(request, undefined);
    assert.deepEqual(Object.keys(errors).sort(), ['flushIntervalMs', 'keys', 'ops', 'seed']);
    assert.match(errors.ops ?? '', /^Expected a whole number from 1 to 100,000, got 100,001/);
    assert.match(errors.keys ?? '', /got NaN/);
  });
});

describe('playground form', () => {
  const config: PlaygroundConfig = {
    strategy: 'write-behind',
    preset: 'ignite',
    settings: { 'db.latency': 20, 'writeBehind.coalescing': false, 'cache.ttl': null, 'writeBehind.whenFull': 'flush', 'writeBehind.maxQueue': 50 },
    workload: { kind: 'counters', ops: 2000, keys: 20, distribution: 'uniform', clients: 3, intervalMs: 5, seed: 9, preload: false },
    faults: [
      { kind: 'crash', atMs: 500, restartAfterMs: 100 },
      { kind: 'crash', atMs: 700 },
      { kind: 'shutdown', atMs: 750, timeoutMs: 0, restartAfterMs: 100 },
      { kind: 'shutdown', atMs: 800 },
      { kind: 'db-down', atMs: 900, forMs: 2000 },
      { kind: 'db-fail-next', atMs: 1000, writes: 3 },
      { kind: 'db-lose-replies', atMs: 1100, replies: 2 },
      { kind: 'db-refuse-key', atMs: 1200, key: 3, forMs: 4000 },
    ],
  };

  it('round-trips a config through the form', () => {
    const { config: back, errors } = PF.checkPlayground(PF.draftOf(config));
    assert.equal(errors.size, 0, [...errors.entries()].join('; '));
    assert.deepEqual(back, validatePlaygroundConfig(config).ok ? config : undefined);
    const def = PF.checkPlayground(PF.draftOf(defaultPlaygroundConfig()));
    assert.deepEqual(def.config, defaultPlaygroundConfig());
  });

  it('leaves a blank shutdown timeout out, so the run\'s writeBehind.shutdownTimeout applies', () => {
    const d = PF.draftOf(config);
    const sd = d.faults[2];
    assert.ok(sd);
    assert.deepEqual([sd.kind, sd.timeoutMs, sd.node, sd.restartAfterMs], ['shutdown', '0', '', '100']);
    sd.timeoutMs = ' ';
    assert.deepEqual((PF.rawConfig(d).faults as unknown[])[2], { kind: 'shutdown', atMs: 750, restartAfterMs: 100 });
    assert.equal(PF.FAULT_LABELS.shutdown, 'Cache node shutdown');
  });

  it('carries a lost-replies fault\'s count through the form', () => {
    const d = PF.draftOf(config);
    const lr = d.faults[6];
    assert.deepEqual([lr?.kind, lr?.replies], ['db-lose-replies', '2']);
    assert.deepEqual((PF.rawConfig(d).faults as unknown[])[6], { kind: 'db-lose-replies', atMs: 1100, replies: 2 });
    assert.equal(PF.FAULT_LABELS['db-lose-replies'], 'Lost database replies');
  });

  it('carries a poison row\'s key number and duration through the form', () => {
    const d = PF.draftOf(config);
    const pr = d.faults[7];
    assert.deepEqual([pr?.kind, pr?.key, pr?.forMs], ['db-refuse-key', '3', '4000']);
    assert.deepEqual((PF.rawConfig(d).faults as unknown[])[7], { kind: 'db-refuse-key', atMs: 1200, key: 3, forMs: 4000 });
    assert.equal(PF.FAULT_LABELS['db-refuse-key'], 'Poison row');
  });

  it('leaves blank settings out, reads on/off and off', () => {
    const d = PF.draftOf(defaultPlaygroundConfig());
    d.settings = { 'cache.latency': '', 'writeBehind.wal': 'on', 'writeBehind.requeueLimit': 'off', 'cache.capacity': ' 10 ' };
    assert.deepEqual(PF.rawConfig(d).settings, { 'writeBehind.wal': true, 'writeBehind.requeueLimit': null, 'cache.capacity': 10 });
  });

  it('files the validator\'s messages under the fields they name', () => {
    const d = PF.draftOf(config);
    d.workload.ops = '50000';
    d.settings['db.latency'] = 'fast';
    const f0 = d.faults[0];
    assert.ok(f0);
    f0.atMs = '-5';
    const { config: none, errors } = PF.checkPlayground(d);
    assert.equal(none, undefined);
    assert.deepEqual([...errors.keys()].sort(), ['faults[0].atMs', 'settings["db.latency"]', 'workload.ops']);
    // Worded as the comparison page words its range errors: capitalised, thousands separated.
    assert.equal(errors.get('workload.ops')?.[0], 'Expected a whole number from 1 to 20,000, got 50,000');
    assert.equal(errors.get('faults[0].atMs')?.[0], 'Expected a whole number from 0 to 3,600,000 ms, got -5');
    const compare = CF.checkDraft({ ...CF.draftOf(CF.defaultCompareRequest()), ops: '0' }).errors.ops;
    assert.equal(compare, 'Expected a whole number from 1 to 100,000, got 0');
    // The status counts fields in words, never "field(s)".
    assert.equal(PF.fixStatus(errors), '3 fields need fixing before a run.');
    assert.equal(PF.fixStatus(new Map([['workload.ops', ['x', 'y']]])), '1 field needs fixing before a run.');
    assert.equal(PF.fixStatus(new Map([['', ['x']]])), 'Fix the problems listed above before a run.');
    assert.equal(PF.fixStatus(new Map()), undefined);
    assert.equal(PF.fieldId('settings["db.latency"]'), 'cw-pg-settings-db-latency');
    assert.equal(PF.fieldId('faults[0].atMs'), 'cw-pg-faults-0-atMs');
  });
});

describe('playground form when the VS Code settings change', () => {
  it('a form showing the old defaults untouched takes the new ones; a touched one keeps what the learner typed', () => {
    const base = defaultPlaygroundConfig();
    const before = PF.draftOf({ ...base, strategy: 'write-through', settings: { 'db.latency': 10 } });
    const after = PF.draftOf({ ...base, strategy: 'write-behind', settings: { 'db.latency': 25 } });
    assert.equal(PF.draftAfterNewDefaults(PF.draftOf({ ...base, strategy: 'write-through', settings: { 'db.latency': 10 } }), before, after), after);
    // The first settings, come after the page opened: the form showed the pure core's defaults.
    const bare = PF.draftOf(base);
    assert.equal(PF.draftAfterNewDefaults(PF.draftOf(base), bare, after), after);
    // Touched: a field typed in (even one that does not validate yet), more operations.
    const typed = { ...before, settings: { ...before.settings, 'db.latency': '1x' } };
    assert.equal(PF.draftAfterNewDefaults(typed, before, after), typed);
    const moreOps = { ...before, workload: { ...before.workload, ops: '900' } };
    assert.equal(PF.draftAfterNewDefaults(moreOps, before, after), moreOps);
  });
});

describe('comparison status while a field is invalid', () => {
  it('names the fields to fix (the table is then out of date), and says nothing when all are valid', () => {
    const d = CF.draftOf(CF.defaultCompareRequest());
    assert.equal(CF.fixStatus(CF.checkDraft(d).errors), undefined);
    assert.equal(CF.fixStatus(CF.checkDraft({ ...d, ops: '0' }).errors), 'Fix Operations to measure again.');
    assert.equal(CF.fixStatus(CF.checkDraft({ ...d, ops: '0', keys: '' }).errors), 'Fix Operations and Keys to measure again.');
    assert.equal(CF.fixStatus(CF.checkDraft({ ...d, ops: '0', keys: '', flushIntervalMs: '0' }).errors), 'Fix Operations, Keys and Flush interval to measure again.');
    assert.equal(CF.fixStatus({ ['other' as 'ops']: 'x' }), 'Fix the fields marked below to measure again.');
  });
});

describe('playground results and the form', () => {
  const ran: PlaygroundConfig = {
    strategy: 'write-behind',
    settings: { 'writeBehind.flushInterval': 2000, 'cache.nodes': 2 },
    workload: { kind: 'write-heavy', ops: 3000, keys: 50, distribution: 'zipf', clients: 4, intervalMs: 10, seed: 1, preload: true },
    faults: [{ kind: 'crash', atMs: 3750 }],
  };
  const form = (edit: (d: ReturnType<typeof PF.draftOf>) => void): PlaygroundConfig | undefined => {
    const d = PF.draftOf(ran);
    edit(d);
    return PF.checkPlayground(d).config;
  };

  it('match while the form holds the setup that ran, whatever order its settings were typed in', () => {
    assert.equal(PF.resultsMatchForm(ran, form(() => undefined)), true);
    const reordered = { ...ran, settings: { 'cache.nodes': 2, 'writeBehind.flushInterval': 2000 } };
    assert.equal(PF.resultsMatchForm(reordered, form(() => undefined)), true);
    assert.equal(PF.resultsMatchForm(ran, form((d) => { d.settings['writeBehind.flushInterval'] = ' 2000 '; })), true);
  });

  it('are out of date once a knob, the workload or a fault changes, or while a field is invalid', () => {
    assert.equal(PF.resultsMatchForm(ran, form((d) => { d.settings['writeBehind.flushInterval'] = '500'; })), false);
    assert.equal(PF.resultsMatchForm(ran, form((d) => { d.settings['writeBehind.batchSize'] = '25'; })), false);
    assert.equal(PF.resultsMatchForm(ran, form((d) => { d.strategy = 'write-through'; })), false);
    assert.equal(PF.resultsMatchForm(ran, form((d) => { d.workload.preload = false; })), false);
    assert.equal(PF.resultsMatchForm(ran, form((d) => { d.faults = []; })), false);
    assert.equal(PF.resultsMatchForm(ran, form((d) => { (d.faults[0] as { restartAfterMs: string }).restartAfterMs = '100'; })), false);
    assert.equal(PF.resultsMatchForm(ran, form((d) => { d.workload.ops = '0'; })), false, 'invalid: no config');
  });
});

describe('playground faults', () => {
  it('moves focus after a removal to the next fault\'s Remove button, else to the first add button', () => {
    assert.equal(PF.focusAfterRemoving(0, 2), 0, 'the first of three removed: the one that took its place');
    assert.equal(PF.focusAfterRemoving(1, 2), 1);
    assert.equal(PF.focusAfterRemoving(2, 2), 'add', 'the last one removed');
    assert.equal(PF.focusAfterRemoving(0, 0), 'add', 'the only one removed');
  });
});

describe('Enter in a form field', () => {
  const key = (key: string, target: unknown, mods: Partial<FormsModule.KeyLike> = {}): FormsModule.KeyLike =>
    ({ key, target, altKey: false, ctrlKey: false, metaKey: false, ...mods });
  const input = (type: string) => ({ tagName: 'INPUT', type });

  it('submits from a number or text field (the browser does not: many fields, no submit button)', () => {
    assert.equal(F.submitsOnEnter(key('Enter', input('number'))), true);
    assert.equal(F.submitsOnEnter(key('Enter', input('text'))), true);
  });

  it('leaves other keys, modified Enter, composition, checkboxes, selects and buttons alone', () => {
    assert.equal(F.submitsOnEnter(key('a', input('number'))), false);
    assert.equal(F.submitsOnEnter(key('Enter', input('number'), { ctrlKey: true })), false);
    assert.equal(F.submitsOnEnter(key('Enter', input('text'), { isComposing: true })), false);
    assert.equal(F.submitsOnEnter(key('Enter', input('checkbox'))), false);
    assert.equal(F.submitsOnEnter(key('Enter', { tagName: 'SELECT' })), false);
    assert.equal(F.submitsOnEnter(key('Enter', { tagName: 'VSCODE-BUTTON' })), false);
    assert.equal(F.submitsOnEnter(key('Enter', null)), false);
  });
});

describe('playground settings left blank under a preset', () => {
  it('show the preset value, in the form the field takes', () => {
    assert.equal(PF.presetDefault('ignite', 'writeBehind.batchSize'), '512');
    assert.equal(PF.presetDefault('ignite', 'writeBehind.flushInterval'), '5000');
    assert.equal(PF.presetDefault('ignite', 'writeBehind.wal'), 'off');
    assert.equal(PF.presetDefault('ignite', 'writeBehind.whenFull'), 'flush');
    assert.equal(PF.presetDefault('hazelcast', 'writeBehind.backup'), 'on');
    assert.equal(PF.presetDefault('hazelcast', 'writeBehind.maxQueue'), 'off');
    // Hazelcast bounds its queue only with coalescing off: the form's own coalescing decides the bound shown.
    assert.equal(PF.presetDefault('hazelcast', 'writeBehind.maxQueue', 'off'), '50000');
    assert.equal(PF.presetDefault('hazelcast', 'writeBehind.maxQueue', 'on'), 'off');
    assert.equal(PF.presetDefault('ehcache', 'writeBehind.maxQueue', 'off'), 'off');
    assert.equal(PF.presetDefault('rgsync', 'writeBehind.order'), 'strict');
    assert.equal(PF.presetDefault('hazelcast', 'writeBehind.writeDelay'), '1000');
    assert.equal(PF.presetDefault('coherence', 'writeBehind.writeDelay'), '10000');
    assert.equal(PF.presetDefault('coherence', 'writeBehind.flushInterval'), '0');
    assert.equal(PF.presetDefault('ignite', 'writeBehind.writeDelay'), undefined, 'Ignite leaves it off');
    // Not set by the preset, not a write-behind setting, or no preset: the engine's default applies.
    assert.equal(PF.presetDefault('ehcache', 'writeBehind.flushSize'), undefined);
    assert.equal(PF.presetDefault('ignite', 'cache.capacity'), undefined);
    assert.equal(PF.presetDefault('', 'writeBehind.batchSize'), undefined);
  });

  it('cover every write-behind setting, each mapped to the option its `set` line changes', () => {
    const names = SETTINGS.filter((s) => s.name.startsWith('writeBehind.')).map((s) => s.name).sort();
    assert.deepEqual(Object.keys(PF.PRESET_SETTING_FIELDS).sort(), names);
    for (const [name, field] of Object.entries(PF.PRESET_SETTING_FIELDS)) {
      const spec = findSetting(name);
      assert.ok(spec, name);
      const before = defaultOptions('write-behind');
      const after = defaultOptions('write-behind');
      const current = before.writeBehind[field];
      const other = spec.kind === 'on-off' ? current !== true : spec.kind === 'enum' ? (spec.choices ?? []).find((c) => c !== current) ?? null : 7;
      spec.apply(after, other as number | boolean | string | null);
      assert.notDeepEqual(after.writeBehind[field], current, `${name} lands in writeBehind.${field}`);
    }
    for (const p of PRESETS) for (const field of Object.keys(p.writeBehind)) assert.ok(Object.values(PF.PRESET_SETTING_FIELDS).includes(field as never), `${p.name} sets ${field}`);
  });
});
