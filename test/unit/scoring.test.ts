// Scoring of the knowledge check: the 70% boundary in exact arithmetic, deterministic attempts, and progress that
// survives whatever a corrupted store hands back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  PASS_THRESHOLD,
  QUIZ_BANK,
  SECTION_IDS,
  drawAttempt,
  emptyProgress,
  markSectionRead,
  mulberry32,
  recordAttempt,
  scoreAttempt,
  validateProgress,
} from '../../src/lesson/index';
import type { Answer, Progress, QuizQuestion } from '../../src/lesson/index';

/** n synthetic questions whose correct option is 'a'. */
function questions(n: number): QuizQuestion[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `q${i}`,
    claim: 'C1' as const,
    style: 'definition' as const,
    prompt: `Question ${i}`,
    options: ['a', 'b', 'c'].map((id) => ({ id, text: id, explanation: id })),
    correct: 'a',
  }));
}

/** Answers with the first `right` questions correct and the rest wrong. */
function answers(qs: QuizQuestion[], right: number): Answer[] {
  return qs.map((q, i) => ({ questionId: q.id, optionId: i < right ? 'a' : 'b' }));
}

function assertValidProgress(p: Progress): void {
  assert.ok(Number.isInteger(p.attempts) && p.attempts >= 0);
  assert.ok(Number.isFinite(p.bestScore) && p.bestScore >= 0 && p.bestScore <= 1);
  assert.equal(typeof p.completed, 'boolean');
  assert.ok(Array.isArray(p.sectionsRead) && p.sectionsRead.every((s) => typeof s === 'string'));
  assert.equal(new Set(p.sectionsRead).size, p.sectionsRead.length);
  if ('lastSection' in p) assert.equal(typeof p.lastSection, 'string');
}

describe('scoreAttempt', () => {
  it('fails 3/5 (60%)', () => {
    const qs = questions(5);
    assert.deepEqual(scoreAttempt(answers(qs, 3), qs), { correct: 3, total: 5, ratio: 0.6, passed: false });
  });

  it('passes 7/10 (70%) exactly at the threshold, although 7/10 < 0.7 in floating point is not safe to rely on', () => {
    const qs = questions(10);
    const r = scoreAttempt(answers(qs, 7), qs);
    assert.equal(r.correct, 7);
    assert.equal(r.passed, true);
    assert.equal(PASS_THRESHOLD, 0.7);
  });

  it('passes 4/5 (80%) and 5/5, fails 6/10 and 69/100, passes 70/100', () => {
    const five = questions(5);
    assert.equal(scoreAttempt(answers(five, 4), five).passed, true);
    assert.equal(scoreAttempt(answers(five, 5), five).ratio, 1);
    const ten = questions(10);
    assert.equal(scoreAttempt(answers(ten, 6), ten).passed, false);
    const hundred = questions(100);
    assert.equal(scoreAttempt(answers(hundred, 69), hundred).passed, false);
    assert.equal(scoreAttempt(answers(hundred, 70), hundred).passed, true);
  });

  it('handles zero questions without dividing by zero, and does not call it a pass', () => {
    assert.deepEqual(scoreAttempt([], []), { correct: 0, total: 0, ratio: 0, passed: false });
  });

  it('counts unanswered questions as wrong, ignores unknown ids, and lets the last answer to a question count', () => {
    const qs = questions(5);
    const given: Answer[] = [
      { questionId: 'q0', optionId: 'b' },
      { questionId: 'q0', optionId: 'a' },
      { questionId: 'q1', optionId: 'a' },
      { questionId: 'nope', optionId: 'a' },
    ];
    assert.deepEqual(scoreAttempt(given, qs), { correct: 2, total: 5, ratio: 0.4, passed: false });
  });

  it('scores a real attempt drawn from the bank', () => {
    const attempt = drawAttempt(QUIZ_BANK, 5, mulberry32(3));
    const perfect = attempt.map((q) => ({ questionId: q.id, optionId: q.correct }));
    assert.deepEqual(scoreAttempt(perfect, attempt), { correct: 5, total: 5, ratio: 1, passed: true });
  });
});

describe('mulberry32', () => {
  it('is deterministic per seed, different across seeds, and stays in [0, 1)', () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    const c = mulberry32(2);
    const xs = Array.from({ length: 1000 }, () => a());
    assert.deepEqual(xs, Array.from({ length: 1000 }, () => b()));
    assert.notDeepEqual(xs.slice(0, 10), Array.from({ length: 10 }, () => c()));
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    assert.ok(new Set(xs).size > 990);
  });
});

describe('drawAttempt', () => {
  it('is deterministic for a given seed', () => {
    assert.deepEqual(drawAttempt(QUIZ_BANK, 5, mulberry32(11)), drawAttempt(QUIZ_BANK, 5, mulberry32(11)));
  });

  it('varies with the seed', () => {
    const ids = new Set(Array.from({ length: 10 }, (_, s) => drawAttempt(QUIZ_BANK, 5, mulberry32(s)).map((q) => q.id).join(',')));
    assert.ok(ids.size > 1);
  });

  it('draws distinct questions from distinct claims when the bank allows', () => {
    for (let seed = 0; seed < 50; seed++) {
      const attempt = drawAttempt(QUIZ_BANK, 5, mulberry32(seed));
      assert.equal(attempt.length, 5);
      assert.equal(new Set(attempt.map((q) => q.id)).size, 5);
      assert.equal(new Set(attempt.map((q) => q.claim)).size, 5);
    }
  });

  it('leaves out claims already covered by the attempt\'s other questions, while other claims remain', () => {
    const covered = ['C3', 'C7', 'C8'];
    for (let seed = 0; seed < 200; seed++) {
      const attempt = drawAttempt(QUIZ_BANK, 5, mulberry32(seed), covered);
      assert.equal(attempt.length, 5);
      assert.deepEqual(attempt.filter((q) => covered.includes(q.claim)).map((q) => q.id), [], `seed ${seed}`);
      assert.equal(new Set(attempt.map((q) => q.claim)).size, 5);
    }
    // Asked for every question, it still gives every one: covered claims come last, not never.
    const all = drawAttempt(QUIZ_BANK, QUIZ_BANK.length, mulberry32(1), covered);
    assert.equal(all.length, QUIZ_BANK.length);
    const firstCovered = all.findIndex((q) => covered.includes(q.claim));
    const otherClaims = new Set(QUIZ_BANK.map((q) => q.claim).filter((c) => !covered.includes(c))).size;
    assert.ok(firstCovered >= otherClaims, `a covered claim drawn at position ${firstCovered}`);
  });

  it('fills up with repeated claims when there are fewer claims than questions wanted', () => {
    const attempt = drawAttempt(questions(8), 6, mulberry32(5));
    assert.equal(attempt.length, 6);
    assert.equal(new Set(attempt.map((q) => q.id)).size, 6);
  });

  it('returns the whole bank when asked for more, and nothing for 0 or a negative count', () => {
    assert.equal(drawAttempt(QUIZ_BANK, 1000, mulberry32(1)).length, QUIZ_BANK.length);
    assert.deepEqual(drawAttempt(QUIZ_BANK, 0, mulberry32(1)), []);
    assert.deepEqual(drawAttempt(QUIZ_BANK, -3, mulberry32(1)), []);
    assert.deepEqual(drawAttempt([], 5, mulberry32(1)), []);
  });

  it('shuffles options without losing, duplicating or altering any, and leaves the bank untouched', () => {
    const before = JSON.stringify(QUIZ_BANK);
    let moved = false;
    for (let seed = 0; seed < 20; seed++) {
      for (const q of drawAttempt(QUIZ_BANK, 5, mulberry32(seed))) {
        const original = QUIZ_BANK.find((x) => x.id === q.id);
        assert.ok(original);
        assert.equal(q.correct, original.correct);
        const byId = (o: { id: string }, p: { id: string }): number => o.id.localeCompare(p.id);
        assert.deepEqual(q.options.slice().sort(byId), original.options.slice().sort(byId));
        if (q.options.map((o) => o.id).join() !== original.options.map((o) => o.id).join()) moved = true;
      }
    }
    assert.ok(moved, 'options were never reordered');
    assert.equal(JSON.stringify(QUIZ_BANK), before);
  });

  it('survives a random source that returns out-of-range values', () => {
    for (const bad of [() => 1, () => -0.5, () => Number.NaN, () => 7]) {
      const attempt = drawAttempt(QUIZ_BANK, 5, bad);
      assert.equal(attempt.length, 5);
      assert.ok(attempt.every((q) => q.options.length >= 3));
    }
  });
});

describe('progress', () => {
  it('starts empty', () => {
    assert.deepEqual(emptyProgress(), { attempts: 0, bestScore: 0, completed: false, sectionsRead: [] });
  });

  it('records attempts immutably, keeps the best score, and stays completed once passed', () => {
    const p0 = emptyProgress();
    const p1 = recordAttempt(p0, { correct: 4, total: 5, ratio: 0.8, passed: true });
    const p2 = recordAttempt(p1, { correct: 1, total: 5, ratio: 0.2, passed: false });
    assert.deepEqual(p0, emptyProgress());
    assert.deepEqual(p1, { attempts: 1, bestScore: 0.8, completed: true, sectionsRead: [] });
    assert.deepEqual(p2, { attempts: 2, bestScore: 0.8, completed: true, sectionsRead: [] });
    assert.notEqual(p1.sectionsRead, p0.sectionsRead);
  });

  it('does not complete on a failed attempt', () => {
    const p = recordAttempt(emptyProgress(), { correct: 3, total: 5, ratio: 0.6, passed: false });
    assert.equal(p.completed, false);
    assert.equal(p.bestScore, 0.6);
  });

  it('marks sections read once each, in first-read order, remembering the last one', () => {
    const p0 = emptyProgress();
    const p = markSectionRead(markSectionRead(markSectionRead(p0, 'spectrum'), 'write-behind'), 'spectrum');
    assert.deepEqual(p.sectionsRead, ['spectrum', 'write-behind']);
    assert.equal(p.lastSection, 'spectrum');
    assert.deepEqual(p0.sectionsRead, []);
    assert.equal('lastSection' in p0, false);
  });

  it('round-trips a valid progress through JSON unchanged', () => {
    const p = markSectionRead(recordAttempt(emptyProgress(), { correct: 5, total: 5, ratio: 1, passed: true }), 'durability');
    assert.deepEqual(validateProgress(JSON.parse(JSON.stringify(p))), p);
  });

  it('turns garbage into a valid empty progress', () => {
    for (const raw of [null, undefined, 'progress', 42, true, [], [1, 2], () => 1, Symbol('x')]) {
      const p = validateProgress(raw);
      assertValidProgress(p);
      assert.deepEqual(p, emptyProgress());
    }
  });

  it('repairs wrong types and out-of-range numbers field by field', () => {
    const cases: Array<[unknown, Partial<Progress>]> = [
      [{ attempts: -3 }, { attempts: 0 }],
      [{ attempts: 2.7 }, { attempts: 2 }],
      [{ attempts: '5' }, { attempts: 0 }],
      [{ attempts: Number.POSITIVE_INFINITY }, { attempts: 0 }],
      [{ attempts: Number.NaN }, { attempts: 0 }],
      [{ bestScore: -1 }, { bestScore: 0 }],
      [{ bestScore: 3 }, { bestScore: 1, completed: true }],
      [{ bestScore: '0.9' }, { bestScore: 0 }],
      [{ bestScore: Number.NaN }, { bestScore: 0 }],
      [{ bestScore: 0.8, completed: 'yes' }, { bestScore: 0.8, completed: true }],
      [{ bestScore: 0.5, completed: 1 }, { bestScore: 0.5, completed: false }],
      [{ completed: true }, { completed: true }],
      [{ sectionsRead: 'spectrum' }, { sectionsRead: [] }],
      [{ sectionsRead: ['spectrum', 3, null, 'spectrum', '', 'hybrid', { id: 'x' }] }, { sectionsRead: ['spectrum', 'hybrid'] }],
      [{ sectionsRead: ['x'.repeat(500)] }, { sectionsRead: [] }],
      [{ lastSection: 7 }, {}],
      [{ lastSection: '' }, {}],
      [{ lastSection: 'hybrid' }, { lastSection: 'hybrid' }],
    ];
    for (const [raw, expected] of cases) {
      const p = validateProgress(raw);
      assertValidProgress(p);
      assert.deepEqual(p, { ...emptyProgress(), ...expected }, JSON.stringify(raw));
    }
  });

  it('drops unknown section ids when given the known ones, and bounds a huge list', () => {
    const p = validateProgress({ sectionsRead: ['spectrum', 'renamed-section', 'choosing'], lastSection: 'renamed-section' }, SECTION_IDS);
    assert.deepEqual(p.sectionsRead, ['spectrum', 'choosing']);
    assert.equal('lastSection' in p, false);
    const big = validateProgress({ sectionsRead: Array.from({ length: 10_000 }, (_, i) => `s${i}`) });
    assert.ok(big.sectionsRead.length <= 100);
  });

  it('never throws on objects with hostile getters or prototypes', () => {
    const hostile = Object.create(null) as Record<string, unknown>;
    hostile.attempts = 3;
    assert.equal(validateProgress(hostile).attempts, 3);
    const proto = Object.create({ attempts: 9 }) as object;
    assertValidProgress(validateProgress(proto));
    const throwing = Object.defineProperty({}, 'attempts', { get: () => { throw new Error('boom'); } });
    assert.deepEqual(validateProgress(throwing), emptyProgress());
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    assert.deepEqual(validateProgress(revoked.proxy), emptyProgress());
  });
});
