// Reset Progress asks with a modal whose Cancel is the close affordance; only the Reset item itself resets.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CANCEL_ITEM, RESET_ITEM, confirmReset } from '../../src/views/resetConfirm';
import type { AskReset, ResetChoice } from '../../src/views/resetConfirm';

function asker(answer: (items: ResetChoice[]) => ResetChoice | undefined) {
  const calls: { message: string; options: { modal: true; detail: string }; items: ResetChoice[] }[] = [];
  const ask: AskReset = async (message, options, ...items) => {
    calls.push({ message, options, items });
    return answer(items);
  };
  return { ask, calls };
}

describe('confirmReset', () => {
  it('asks in a modal with Reset Progress and a Cancel that is the close affordance', async () => {
    const { ask, calls } = asker(() => undefined);
    assert.equal(await confirmReset(undefined, ask), false);
    assert.equal(calls.length, 1);
    const call = calls[0];
    assert.equal(call?.options.modal, true);
    assert.match(call?.options.detail ?? '', /best score/);
    assert.deepEqual(call?.items.map((i) => [i.title, i.isCloseAffordance === true]), [['Reset Progress', false], ['Cancel', true]]);
    // Exactly one close affordance, so VS Code adds no Cancel of its own and Escape answers ours.
    assert.equal(call?.items.filter((i) => i.isCloseAffordance).length, 1);
  });

  it('resets only when the Reset Progress item itself is chosen', async () => {
    assert.equal(await confirmReset(undefined, asker(() => RESET_ITEM).ask), true);
    assert.equal(await confirmReset(undefined, asker(() => CANCEL_ITEM).ask), false);
    // Escape or the close box: undefined, or the close affordance.
    assert.equal(await confirmReset(undefined, asker(() => undefined).ask), false);
    // An item that merely looks like it (same title, another object) does not count.
    assert.equal(await confirmReset(undefined, asker(() => ({ title: 'Reset Progress' })).ask), false);
  });

  it('{ confirm: false } resets without asking; anything else asks', async () => {
    const skipped = asker(() => undefined);
    assert.equal(await confirmReset({ confirm: false }, skipped.ask), true);
    assert.equal(skipped.calls.length, 0);
    for (const arg of [{ confirm: true }, {}, null, 'x', { confirm: 'false' }]) {
      const asked = asker(() => undefined);
      assert.equal(await confirmReset(arg, asked.ask), false, JSON.stringify(arg));
      assert.equal(asked.calls.length, 1);
    }
  });

  it('resets nothing, and says so, when the question cannot be shown (a test host refuses dialogs)', async () => {
    const lines: string[] = [];
    const refused: AskReset = () => Promise.reject(new Error('DialogService: refused to show dialog in tests.'));
    assert.equal(await confirmReset(undefined, refused, (l) => lines.push(l)), false);
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? '', /could not ask \(DialogService: refused to show dialog in tests\.\); nothing was reset/);
    // Skipping the question never asks, so it cannot fail.
    assert.equal(await confirmReset({ confirm: false }, refused), true);
  });
});
