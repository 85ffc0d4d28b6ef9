// The radio-group helpers the diagram's variant switcher and the knowledge check share: which radio is checked
// (read on keyup and focusin too, since the arrow keys check a radio without a `change` event), and the tab stop
// moved to the checked radio (VS Code Elements leaves it on the first one).
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import type * as Module from '../../webview/radios.js' with { 'resolution-mode': 'import' };
let R: typeof Module;
before(async () => {
  R = await import('../../webview/radios.js');
});

const radios = (checked: number, tabStop = 0): { value: string; checked: boolean; tabIndex: number }[] =>
  ['normal', 'crash-before-flush', 'wal', 'other-node'].map((value, i) => ({ value, checked: i === checked, tabIndex: i === tabStop ? 0 : -1 }));

describe('radio groups', () => {
  it('reads the checked radio, or none', () => {
    assert.equal(R.checkedValue(radios(2)), 'wal');
    assert.equal(R.checkedValue(radios(-1)), undefined);
    assert.equal(R.checkedValue([]), undefined);
  });

  it('moves the tab stop to the checked radio (a restored variant), and leaves it on the first when none is checked', () => {
    const restored = radios(3, 0);
    assert.equal(R.setTabStop(restored), true);
    assert.deepEqual(restored.map((r) => r.tabIndex), [-1, -1, -1, 0]);
    assert.equal(R.setTabStop(restored), false, 'nothing left to change');
    const none = radios(-1, 2);
    R.setTabStop(none);
    assert.deepEqual(none.map((r) => r.tabIndex), [0, -1, -1, -1]);
  });

  it('applies the tab stop at once and again after the group has slotted its radios', () => {
    const list = radios(1, 0);
    const later: (() => void)[] = [];
    R.keepTabStopOnChecked({ querySelectorAll: () => list }, (fn) => later.push(fn));
    assert.deepEqual(list.map((r) => r.tabIndex), [-1, 0, -1, -1]);
    // The group resets the stop to its first radio when it slots them; the deferred pass puts it back.
    list.forEach((r, i) => { r.tabIndex = i === 0 ? 0 : -1; });
    assert.equal(later.length, 1);
    later[0]?.();
    assert.deepEqual(list.map((r) => r.tabIndex), [-1, 0, -1, -1]);
    R.keepTabStopOnChecked(null);
  });

  // VS Code Elements 2.5.1 draws a checkbox inside each radio: announced as a checkbox, and unchecked after a click.
  const hosts = (checked: number, innerChecked: number): { value: string; checked: boolean; tabIndex: number; input: { checked: boolean; attrs: Map<string, string> }; shadowRoot: { querySelector(s: 'input'): { checked: boolean; getAttribute(n: string): string | null; setAttribute(n: string, v: string): void } } }[] =>
    radios(checked).map((r, i) => {
      const input = { checked: i === innerChecked, attrs: new Map<string, string>() };
      const inner = {
        get checked() { return input.checked; },
        set checked(v: boolean) { input.checked = v; },
        getAttribute: (n: string) => input.attrs.get(n) ?? null,
        setAttribute: (n: string, v: string) => { input.attrs.set(n, v); },
      };
      return { ...r, input, shadowRoot: { querySelector: () => inner } };
    });

  it('gives each radio\'s inner input the radio role and the radio\'s checked state', () => {
    const list = hosts(2, -1);
    assert.equal(R.syncRadioSemantics(list), true);
    assert.deepEqual(list.map((r) => r.input.attrs.get('role')), ['radio', 'radio', 'radio', 'radio']);
    assert.deepEqual(list.map((r) => r.input.checked), [false, false, true, false]);
    assert.equal(R.syncRadioSemantics(list), false, 'nothing left to change');
    // A radio not rendered yet (no shadow root) is left for the next pass.
    assert.equal(R.syncRadioSemantics([{ ...radios(0)[0]!, shadowRoot: null }]), false);
  });

  it('applies the radio semantics with the tab stop, now and after the group has slotted its radios', () => {
    const list = hosts(1, 0);
    const later: (() => void)[] = [];
    R.keepTabStopOnChecked({ querySelectorAll: () => list }, (fn) => later.push(fn));
    assert.deepEqual(list.map((r) => r.input.checked), [false, true, false, false]);
    list[3]!.input.checked = true;
    later[0]?.();
    assert.deepEqual(list.map((r) => r.input.checked), [false, true, false, false]);
  });
});
