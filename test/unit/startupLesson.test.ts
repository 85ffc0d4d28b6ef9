// `npm start` asks the VS Code it starts to open the lesson (CACHE_WORKBENCH_OPEN_LESSON=1); without the variable
// activation opens nothing, and a lesson that fails to open is logged, never thrown into activation.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OPEN_LESSON_ENV, openLessonIfAsked } from '../../src/views/startupLesson';

describe('opening the lesson at startup', () => {
  it('opens it when npm start asked, and only then', async () => {
    let opened = 0;
    const lines: string[] = [];
    const open = async (): Promise<void> => { opened++; };
    assert.equal(OPEN_LESSON_ENV, 'CACHE_WORKBENCH_OPEN_LESSON');
    assert.equal(openLessonIfAsked({}, open, (l) => lines.push(l)), false);
    assert.equal(openLessonIfAsked({ [OPEN_LESSON_ENV]: '0' }, open, (l) => lines.push(l)), false);
    assert.equal(opened, 0);
    assert.equal(lines.length, 0);
    assert.equal(openLessonIfAsked({ [OPEN_LESSON_ENV]: '1' }, open, (l) => lines.push(l)), true);
    assert.equal(opened, 1);
    assert.deepEqual(lines, ['CACHE_WORKBENCH_OPEN_LESSON=1 (npm start): opening the lesson']);
  });

  it('logs a failure to open instead of throwing', async () => {
    const lines: string[] = [];
    assert.equal(openLessonIfAsked({ [OPEN_LESSON_ENV]: '1' }, () => Promise.reject(new Error('no panel')), (l) => lines.push(l)), true);
    await new Promise((r) => setImmediate(r));
    assert.equal(lines.at(-1), 'opening the lesson at startup failed: no panel');
  });
});
