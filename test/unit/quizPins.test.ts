// Knowledge-check and progress behaviour a mutation audit found unpinned: each test fails if one small break of
// `src/lesson/scoring.ts`, `quizSession.ts`, `quizBank.ts`, `src/views/progressStore.ts` or `quizController.ts`
// (named in its comment) is made, with exact values. Two stores or controllers on one memento stand for two VS Code
// windows sharing globalState.
import './support/vscodeStub';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SCENARIO_QUESTION_TEMPLATES, instantiateTemplate } from '../../src/lesson/quizBank';
import { pickDistractors, startAttempt, validateAttempt } from '../../src/lesson/quizSession';
import type { Attempt, Distractor, SessionQuestion } from '../../src/lesson/quizSession';
import { validateProgress } from '../../src/lesson/scoring';
import type { AttemptResult } from '../../src/lesson/scoring';
import { FLAGS_STORAGE_KEY, LESSON_CONTEXT_KEYS, PROGRESS_STORAGE_KEY, ProgressStore } from '../../src/views/progressStore';
import type { ProgressSnapshot } from '../../src/views/progressStore';
import { QUIZ_ATTEMPT_STORAGE_KEY, QuizController } from '../../src/views/quizController';
import type { QuizDeps } from '../../src/views/quizController';
import { JsonMemento } from './support/jsonMemento';


const PASSED: AttemptResult = { correct: 5, total: 5, ratio: 1, passed: true };
const { lessonOpened: OPENED, diagramWatched: WATCHED, quizPassed: QUIZ_PASSED } = LESSON_CONTEXT_KEYS;

/** A store whose setContext calls are kept, in order, as [key, value]. */
function store(memento: JsonMemento, log: string[] = []): { store: ProgressStore; keys: [string, boolean][] } {
  const keys: [string, boolean][] = [];
  const s = new ProgressStore(memento, (line) => log.push(line), (key, value) => {
    keys.push([key, value]);
  });
  return { store: s, keys };
}

describe('stored progress without a completed flag', () => {
  // Break: validateProgress's fallback asked for a best score above 70% instead of at least 70%.
  it('counts a best score of exactly 0.7 as completed, and 0.69 not', () => {
    assert.deepEqual(validateProgress({ attempts: 2, bestScore: 0.7, sectionsRead: [] }), { attempts: 2, bestScore: 0.7, completed: true, sectionsRead: [] });
    assert.equal(validateProgress({ attempts: 2, bestScore: 0.69, sectionsRead: [] }).completed, false);
  });
});

describe('drawing an attempt', () => {
  // Break: startAttempt placed the engine-computed question at rng() * (questions - 1), so never last.
  it('places the engine-computed question at a seeded position, the last one included', () => {
    const positions = Array.from({ length: 10 }, (_, seed) => startAttempt(seed).questions.findIndex((q) => q.source === 'engine'));
    assert.deepEqual(positions, [3, 4, 4, 3, 2, 4, 0, 3, 0, 2]);
  });

  // Break: formatValue dropped the " ms" of latency options.
  it('writes latency options in milliseconds and counts as bare numbers', () => {
    const texts = (seed: number): string[] => {
      const q = startAttempt(seed).questions.find((x) => x.source === 'engine') as SessionQuestion;
      return q.options
        .slice()
        .sort((a, b) => a.id.localeCompare(b.id))
        .map((o) => o.text);
    };
    assert.deepEqual(texts(1), ['25\u00a0ms', '27\u00a0ms', '29\u00a0ms', '52\u00a0ms']); // t-wa-read-after-write: readLatencyMs.max
    assert.deepEqual(texts(2), ['4', '5', '6', '10']); // t-wb-crash-lost: lostWrites
  });

  // Break: pickDistractors let the draw put fewer wrong values below the right one than the candidates above need.
  it('keeps three wrong options when only one candidate lies above the right value', () => {
    const wrong = (...values: number[]): Distractor[] => values.map((value) => ({ value, explanation: `${value} is wrong` }));
    // The draw 0.1 asks for none below; with one candidate above, two must come from below.
    assert.deepEqual(pickDistractors(10, wrong(7, 8, 9, 11), [], () => 0.1).map((d) => d.value), [8, 9, 11]);
  });

  // Break: instantiateTemplate accepted an @repeat count above 1000.
  it('expands @repeat up to 1000 times and refuses 1001', () => {
    const t = SCENARIO_QUESTION_TEMPLATES.find((x) => x.id === 't-wb-crash-lost');
    assert.ok(t, 'the template t-wb-crash-lost');
    const params = { flush: 30, n: 1000, t: 5, key: 'cart:7' };
    assert.equal(instantiateTemplate(t, params).scenarioText.split('\n').filter((l) => l.startsWith('write cart:7 ')).length, 1000);
    assert.throws(() => instantiateTemplate(t, { ...params, n: 1001 }), { message: '@repeat count must be an integer in 0..1000, got {n}' });
  });
});

describe('a stored attempt', () => {
  // Break: validateAttempt accepted two questions with one id.
  it('is dropped when two of its questions share an id', () => {
    const copy = JSON.parse(JSON.stringify(startAttempt(21))) as Attempt;
    assert.notEqual(validateAttempt(copy), undefined);
    copy.questions[1] = JSON.parse(JSON.stringify(copy.questions[0])) as SessionQuestion;
    assert.equal(validateAttempt(copy), undefined);
  });
});

describe('progress in two windows', () => {
  // Break: ProgressStore.recordAttempt recorded on the window's own copy without taking up the stored progress.
  it('a graded attempt here keeps the section read there', async () => {
    const memento = new JsonMemento();
    const a = store(memento).store;
    const b = store(memento).store;
    await b.markSectionRead('write-behind');
    await a.recordAttempt(PASSED);
    assert.deepEqual(memento.get(PROGRESS_STORAGE_KEY), { attempts: 1, bestScore: 1, completed: true, sectionsRead: ['write-behind'], lastSection: 'write-behind' });
  });

  // Break: ProgressStore.sync took up the other window's progress without setting this window's context keys.
  it("sets this window's context keys when it takes up a check passed there", async () => {
    const memento = new JsonMemento();
    const a = store(memento);
    const b = store(memento).store;
    await b.recordAttempt(PASSED);
    await a.store.reload();
    assert.deepEqual(a.keys, [[OPENED, false], [WATCHED, false], [QUIZ_PASSED, false], [QUIZ_PASSED, true]]);
  });
});

describe('progress store', () => {
  // Break: reset() kept the walkthrough flags.
  it('reset forgets the walkthrough flags too, in memory, in storage and in the context keys', async () => {
    const memento = new JsonMemento();
    const { store: s, keys } = store(memento);
    await s.markSectionRead('spectrum');
    await s.markDiagramWatched();
    await s.reset();
    assert.deepEqual(s.getFlags(), { lessonOpened: false, diagramWatched: false });
    assert.deepEqual(memento.get(FLAGS_STORAGE_KEY), { lessonOpened: false, diagramWatched: false });
    assert.deepEqual(keys.slice(3), [[OPENED, true], [WATCHED, true], [OPENED, false], [WATCHED, false]]);
  });

  // Break: reset() did not fire onDidReset (the knowledge check kept its attempt).
  it('reset fires onDidReset once, with the cleared state already in place', async () => {
    const { store: s } = store(new JsonMemento());
    await s.recordAttempt(PASSED);
    const seen: [number, boolean][] = [];
    s.onDidReset(() => seen.push([s.get().attempts, s.view().quizPassed]));
    await s.reset();
    assert.deepEqual(seen, [[0, false]]);
  });

  // Break: ProgressStore.load repaired damaged stored progress in memory without writing the repair back.
  it('writes damaged stored progress back repaired when it loads it', () => {
    const memento = new JsonMemento();
    memento.values.set(PROGRESS_STORAGE_KEY, { attempts: 2.7, bestScore: 3, completed: true, sectionsRead: ['spectrum', 'spectrum', 'gone'] });
    const log: string[] = [];
    store(memento, log);
    assert.deepEqual(memento.get(PROGRESS_STORAGE_KEY), { attempts: 2, bestScore: 1, completed: true, sectionsRead: ['spectrum'] });
    assert.deepEqual(log, ['progress: the stored progress was damaged or out of date; repaired it']);
  });

  // Break: the lessonOpened context key ignored the sections read (progress stored before the flags existed).
  it('marks the lesson opened when sections were read, even with no flags stored', () => {
    const memento = new JsonMemento();
    memento.values.set(PROGRESS_STORAGE_KEY, { attempts: 0, bestScore: 0, completed: false, sectionsRead: ['spectrum'], lastSection: 'spectrum' });
    assert.deepEqual(store(memento).keys, [[OPENED, true], [WATCHED, false], [QUIZ_PASSED, false]]);
  });

  // Break: syncContextKeys set every context key again on every change, not only the ones that changed.
  it('sets a context key only when its value changes', async () => {
    const { store: s, keys } = store(new JsonMemento());
    await s.markSectionRead('spectrum');
    await s.markSectionRead('write-through');
    await s.recordAttempt(PASSED);
    assert.deepEqual(keys, [[OPENED, false], [WATCHED, false], [QUIZ_PASSED, false], [OPENED, true], [QUIZ_PASSED, true]]);
  });

  // Break: commit() wrote a change without firing onDidChange (the views kept showing the old progress).
  it('fires onDidChange once per change, with the new state, and not when nothing changed', async () => {
    const { store: s } = store(new JsonMemento());
    const seen: ProgressSnapshot[] = [];
    s.onDidChange((snap) => seen.push(snap));
    await s.markSectionRead('spectrum');
    await s.markSectionRead('spectrum');
    assert.deepEqual(seen, [
      {
        progress: { attempts: 0, bestScore: 0, completed: false, sectionsRead: ['spectrum'], lastSection: 'spectrum' },
        flags: { lessonOpened: true, diagramWatched: false },
      },
    ]);
  });
});

describe('the knowledge check in two windows', () => {
  function twoWindows() {
    const memento = new JsonMemento();
    const recorded: AttemptResult[] = [];
    const log: string[] = [];
    const deps: QuizDeps = { memento, record: async (r) => void recorded.push(r), log: (l) => log.push(l), newSeed: () => 11 };
    return { memento, recorded, log, deps, a: new QuizController(deps), b: new QuizController({ ...deps, newSeed: () => 99 }) };
  }

  // Break: QuizController.answer sent the attempt with a refusal when nothing had changed elsewhere, not when it had.
  it('a refused answer carries the attempt only when it was answered in the other window', async () => {
    const { a, b } = twoWindows();
    await a.start();
    await b.start();
    const q = a.currentAttempt()?.questions[0];
    assert.ok(q, 'a first question');
    const wrong = q.options.find((o) => o.id !== q.correct)?.id ?? '';
    assert.equal((await b.answer(q.id, q.correct)).ok, true);
    const there = await a.answer(q.id, wrong);
    assert.deepEqual(there.ok ? 'ok' : [there.state?.answered, there.state?.questions[0]?.feedback?.optionId], [1, q.correct]);
    const here = await a.answer(q.id, wrong);
    assert.deepEqual(here.ok ? 'ok' : 'state' in here, false);
  });

  // Break: QuizController.finish graded whatever attempt was stored, even a new one started in the other window.
  it('does not grade an attempt the other window started, even fully answered; the page gets it instead', async () => {
    const { a, b, recorded } = twoWindows();
    await a.start();
    await b.retry();
    for (const q of b.currentAttempt()?.questions ?? []) assert.equal((await b.answer(q.id, q.correct)).ok, true);
    const r = await a.finish();
    assert.deepEqual(r.ok ? 'ok' : [/changed in another window/.test(r.error), r.state?.attemptSeed, r.state?.answered, r.state?.finished], [true, 99, 5, false]);
    assert.deepEqual(recorded, []);
  });

  // Break: QuizController.load dropped a damaged stored attempt in memory but left it in storage.
  it('clears a damaged stored attempt from storage when it loads', () => {
    const { memento, deps, log } = twoWindows();
    memento.values.set(QUIZ_ATTEMPT_STORAGE_KEY, { v: 1, seed: 'damaged' });
    const quiz = new QuizController(deps);
    assert.equal(quiz.currentAttempt(), undefined);
    assert.equal(memento.values.has(QUIZ_ATTEMPT_STORAGE_KEY), false);
    assert.ok(log.includes('quiz: the stored attempt was damaged or out of date; dropped it, a new one will be drawn'), log.join('\n'));
  });
});
