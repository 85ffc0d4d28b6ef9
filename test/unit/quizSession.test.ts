// Knowledge-check sessions: the 70% boundary through finish(), engine-computed answers recomputed independently,
// deterministic shuffling, one correct option with explanations everywhere, and answer messages that are rejected.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { metricValue } from '../../src/model/types';
import { parseScenario } from '../../src/scenario/parser';
import { runProgram } from '../../src/scenario/runner';
import { QUIZ_BANK, SCENARIO_QUESTION_TEMPLATES, instantiateTemplate } from '../../src/lesson/index';
import { QUIZ_ANSWER_MESSAGE, answer, attemptView, finish, pickDistractors, startAttempt, validateAnswerMessage, validateAttempt } from '../../src/lesson/quizSession';
import type { Attempt, Distractor, SessionQuestion } from '../../src/lesson/quizSession';

function wrongOption(q: SessionQuestion): string {
  const o = q.options.find((x) => x.id !== q.correct);
  assert.ok(o, `question ${q.id} has no wrong option`);
  return o.id;
}

/** Answers the first `right` questions correctly and the rest wrongly, through answer(). */
function answerWith(a: Attempt, right: number): Attempt {
  let cur = a;
  a.questions.forEach((q, i) => {
    const r = answer(cur, q.id, i < right ? q.correct : wrongOption(q));
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.equal(r.feedback.correct, i < right);
    cur = r.attempt;
  });
  return cur;
}

function computedOf(a: Attempt): SessionQuestion[] {
  return a.questions.filter((q) => q.source === 'engine');
}

describe('finish() applies the 70% threshold', () => {
  const five = startAttempt(11);
  for (const [right, passed] of [[3, false], [4, true], [5, true]] as const) {
    it(`${right}/5 ${passed ? 'passes' : 'fails'}`, () => {
      const { score, unanswered, attempt } = finish(answerWith(five, right));
      assert.deepEqual(score, { correct: right, total: 5, ratio: right / 5, passed });
      assert.deepEqual(unanswered, []);
      assert.equal(attempt.finished, true);
    });
  }
  const ten = startAttempt(12, { count: 10 });
  for (const [right, passed] of [[6, false], [7, true]] as const) {
    it(`${right}/10 ${passed ? 'passes' : 'fails'}`, () => {
      assert.equal(ten.questions.length, 10);
      const { score } = finish(answerWith(ten, right));
      assert.deepEqual(score, { correct: right, total: 10, ratio: right / 10, passed });
    });
  }
  it('counts unanswered questions as wrong and lists them', () => {
    const q0 = five.questions[0] as SessionQuestion;
    const r = answer(five, q0.id, q0.correct);
    assert.ok(r.ok);
    const out = finish(r.attempt);
    assert.deepEqual(out.score, { correct: 1, total: 5, ratio: 0.2, passed: false });
    assert.deepEqual(out.unanswered, five.questions.slice(1).map((q) => q.id));
  });
});

describe('startAttempt', () => {
  it('draws five questions, one of them engine-computed, by default', () => {
    const a = startAttempt(1);
    assert.equal(a.questions.length, 5);
    assert.equal(computedOf(a).length, 1);
    assert.equal(new Set(a.questions.map((q) => q.id)).size, 5);
    assert.deepEqual(a.answers, []);
    assert.equal(a.finished, false);
  });

  it('is deterministic per seed and plain JSON', () => {
    for (const seed of [0, 1, 2, 99, 123456]) {
      const a = startAttempt(seed, { count: 7, scenarioQuestions: 2 });
      assert.deepEqual(startAttempt(seed, { count: 7, scenarioQuestions: 2 }), a);
      assert.deepEqual(JSON.parse(JSON.stringify(a)), a);
    }
    const ids = new Set([1, 2, 3, 4, 5, 6].map((s) => startAttempt(s).questions.map((q) => q.id).join()));
    assert.ok(ids.size > 1, 'different seeds should draw different questions');
  });

  it('can draw only bank questions, or every template', () => {
    const bankOnly = startAttempt(5, { scenarioQuestions: 0 });
    assert.ok(bankOnly.questions.every((q) => q.source === 'bank' && QUIZ_BANK.some((b) => b.id === q.id)));
    const all = startAttempt(5, { count: SCENARIO_QUESTION_TEMPLATES.length, scenarioQuestions: SCENARIO_QUESTION_TEMPLATES.length });
    assert.deepEqual(computedOf(all).map((q) => q.computed?.templateId).sort(), SCENARIO_QUESTION_TEMPLATES.map((t) => t.id).sort());
  });

  it('asks none of the questions it is told to avoid (the last attempt\'s) while the bank has others, and draws as before without them', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const first = startAttempt(seed);
      const ids = first.questions.map((q) => q.id);
      const next = startAttempt(seed + 7919, { avoid: ids });
      assert.deepEqual(next.questions.filter((q) => ids.includes(q.id)).map((q) => q.id), [], `seed ${seed}`);
      assert.equal(next.questions.length, 5);
      // Nothing to avoid: the very attempt the seed always gave.
      assert.deepEqual(startAttempt(seed, { avoid: [] }), first);
    }
    // When the bank runs short, avoided questions are asked after all: an attempt as long as the bank avoiding all of it.
    const everything = QUIZ_BANK.map((q) => q.id);
    const full = startAttempt(3, { count: QUIZ_BANK.length, scenarioQuestions: 0, avoid: everything });
    assert.deepEqual(full.questions.map((q) => q.id).sort(), [...everything].sort());
  });

  it('rejects bad seeds and counts', () => {
    assert.throws(() => startAttempt(1.5), RangeError);
    assert.throws(() => startAttempt(1, { count: 0 }), RangeError);
    assert.throws(() => startAttempt(1, { count: 1000 }), RangeError);
    assert.throws(() => startAttempt(1, { count: 2, scenarioQuestions: 3 }), RangeError);
    assert.throws(() => startAttempt(1, { scenarioQuestions: -1 }), RangeError);
  });
});

describe('options', () => {
  const attempts = Array.from({ length: 40 }, (_, seed) => startAttempt(seed, { count: 8, scenarioQuestions: 3 }));

  it('have exactly one correct option, unique ids and an explanation each', () => {
    for (const a of attempts) {
      for (const q of a.questions) {
        const ids = q.options.map((o) => o.id);
        assert.equal(new Set(ids).size, ids.length, `${q.id}: duplicate option ids`);
        assert.equal(ids.filter((id) => id === q.correct).length, 1, `${q.id}: correct option missing`);
        for (const o of q.options) assert.ok(o.explanation.trim().length > 10, `${q.id}/${o.id}: no explanation`);
        assert.ok(q.options.length >= 3 && q.options.length <= 4, `${q.id}: ${q.options.length} options`);
      }
    }
  });

  it('are shuffled, differently across seeds, the same for one seed', () => {
    // Bank questions keep their ids, so the shown position of the correct id must vary with the seed.
    const positions = new Map<string, Set<number>>();
    const computedOrders = new Set<string>();
    for (const a of attempts) {
      for (const q of a.questions) {
        if (q.source === 'bank') {
          const p = positions.get(q.id) ?? new Set<number>();
          p.add(q.options.findIndex((o) => o.id === q.correct));
          positions.set(q.id, p);
        } else {
          computedOrders.add(`${q.id}:${q.options.map((o) => o.id).join('')}`);
        }
      }
    }
    const seenOften = [...positions.values()].filter((p) => p.size > 1);
    assert.ok(seenOften.length >= 5, 'correct answers of bank questions should move between positions');
    assert.ok(computedOrders.size > SCENARIO_QUESTION_TEMPLATES.length, 'computed options should not always come in one order');
    assert.deepEqual(startAttempt(3, { count: 8, scenarioQuestions: 3 }), attempts[3]);
  });
});

describe('engine-computed questions', () => {
  const computed = Array.from({ length: 30 }, (_, seed) => computedOf(startAttempt(seed, { count: 5, scenarioQuestions: 3 }))).flat();

  it('cover every template', () => {
    assert.equal(computed.length, 90);
    for (const t of SCENARIO_QUESTION_TEMPLATES) assert.ok(computed.some((q) => q.computed?.templateId === t.id), t.id);
  });

  it('have the answer runProgram measures for the same text, recomputed here', () => {
    for (const q of computed) {
      const c = q.computed;
      assert.ok(c);
      const t = SCENARIO_QUESTION_TEMPLATES.find((x) => x.id === c.templateId);
      assert.ok(t);
      const { prompt, scenarioText } = instantiateTemplate(t, c.params);
      assert.equal(scenarioText, c.scenarioText);
      assert.equal(prompt, q.prompt);
      const program = parseScenario(scenarioText);
      assert.deepEqual(program.diagnostics.filter((d) => d.severity === 'error'), []);
      const measured = metricValue(runProgram(program).metrics, t.answerMetric);
      assert.equal(c.measured, measured);
      const right = q.options.filter((o) => o.value === measured);
      assert.equal(right.length, 1, `${q.id}: one option must carry the measured value`);
      assert.equal(right[0]?.id, q.correct);
      assert.ok(q.options.every((o) => typeof o.value === 'number' && (o.id === q.correct) === (o.value === measured)));
      assert.equal(new Set(q.options.map((o) => o.value)).size, q.options.length, 'values are distinct');
    }
  });

  it('explain the correct answer with the run\'s numbers', () => {
    for (const q of computed) {
      const right = q.options.find((o) => o.id === q.correct);
      assert.ok(right && q.computed);
      assert.match(right.explanation, new RegExp(`= ${q.computed.measured}\\b`), right.explanation);
    }
    const lost = computed.find((q) => q.computed?.templateId === 't-wb-crash-lost');
    assert.ok(lost?.computed);
    const n = lost.computed.params.n;
    assert.match(lost.options.find((o) => o.id === lost.correct)?.explanation ?? '', new RegExp(`acknowledged ${n} writes before the cache crashed`));
    // Moments of the run read in seconds once past one (the counter's flush at 60.01 s, not 60010 ms).
    const counter = computed.find((q) => q.computed?.templateId === 't-counter-crash');
    const why = counter?.options.find((o) => o.id === counter.correct)?.explanation ?? '';
    assert.match(why, /The flush at \d+(\.\d+)?\u00a0s persisted \d+ increments?; .* and the crash at \d+(\.\d+)?\u00a0s emptied the queue/, why);
    assert.doesNotMatch(why, /\d{4,}[ \u00a0]ms/, why);
  });

  it('pickDistractors puts the right value at every rank the candidates allow', () => {
    const wrong = (...values: number[]): Distractor[] => values.map((value) => ({ value, explanation: `${value} is wrong` }));
    const fallback = wrong(0, 9, 11, 12, 20);
    const own = wrong(7, 8, 9, 11, 12, 13);
    const below = (ds: Distractor[]): number => ds.filter((d) => d.value < 10).length;
    // The last draw decides how many go below the right value (10): 0.1 -> 0, 0.3 -> 1, 0.6 -> 2, 0.9 -> 3.
    for (const [r, n] of [[0.1, 0], [0.3, 1], [0.6, 2], [0.9, 3]] as const) {
      const picked = pickDistractors(10, own, fallback, () => r);
      assert.equal(picked.length, 3);
      assert.equal(below(picked), n, `draw ${r}`);
    }
    // One candidate below: never more than one below, so the right value cannot be the largest.
    assert.equal(below(pickDistractors(10, wrong(4, 11, 12, 13), fallback, () => 0.9)), 1);
    // Duplicates, negatives, non-numbers and the right value are dropped; the fallback fills up a short list.
    const short = pickDistractors(10, wrong(10, -1, Number.NaN, 11, 11), fallback, () => 0.5);
    assert.deepEqual(short.map((d) => d.value).sort((a, b) => a - b), [0, 9, 11]);
    assert.equal(short.find((d) => d.value === 11)?.explanation, '11 is wrong');
  });

  it('pin one question exactly (seed 42)', () => {
    const q = computedOf(startAttempt(42, { count: 6, scenarioQuestions: 3 })).find((x) => x.computed?.templateId === 't-wb-crash-lost');
    assert.ok(q?.computed);
    assert.deepEqual(q.computed.params, { flush: 60, n: 7, t: 16, key: 'cart:7' });
    assert.equal(q.computed.measured, 7);
    assert.deepEqual(q.options.map((o) => o.value).sort((x, y) => (x ?? 0) - (y ?? 0)), [0, 6, 7, 14]);
    assert.equal(q.correct, 'c');
    assert.match(q.options.find((o) => o.value === 0)?.explanation ?? '', /backup/);
  });
});

describe('the form of the options gives nothing away (2,000 seeded attempts)', () => {
  // A learner who knows nothing but guesses by form: the longest text, the shortest, or on an engine-computed
  // question the largest or smallest number (with the longest text on the bank questions). Each should do about as
  // well as picking at random, and pass about as rarely.
  const SEEDS = 2000;
  const attempts = Array.from({ length: SEEDS }, (_, seed) => startAttempt(seed));
  type Strategy = (q: SessionQuestion) => string;
  const byText = (longest: boolean): Strategy => (q) =>
    q.options.reduce((best, o) => ((longest ? o.text.length > best.text.length : o.text.length < best.text.length) ? o : best)).id;
  const byNumber = (largest: boolean): Strategy => (q) =>
    q.source !== 'engine'
      ? byText(true)(q)
      : q.options.reduce((best, o) => (((o.value ?? 0) - (best.value ?? 0)) * (largest ? 1 : -1) > 0 ? o : best)).id;
  const strategies: [string, Strategy][] = [
    ['the longest text', byText(true)],
    ['the shortest text', byText(false)],
    ['the largest number (longest text on bank questions)', byNumber(true)],
    ['the smallest number (longest text on bank questions)', byNumber(false)],
  ];
  const chance = attempts.reduce((n, a) => n + a.questions.reduce((m, q) => m + 1 / q.options.length, 0), 0) / SEEDS;

  for (const [name, pick] of strategies) {
    it(`picking ${name} passes under 10% of attempts and scores near chance`, () => {
      let correct = 0;
      let passed = 0;
      for (const a of attempts) {
        let done = a;
        for (const q of a.questions) {
          const r = answer(done, q.id, pick(q));
          assert.ok(r.ok);
          done = r.attempt;
        }
        const { score } = finish(done);
        correct += score.correct;
        if (score.passed) passed++;
      }
      const mean = correct / SEEDS;
      assert.ok(passed / SEEDS < 0.1, `passed ${passed} of ${SEEDS} attempts`);
      assert.ok(Math.abs(mean - chance) < 0.5, `mean score ${mean.toFixed(2)}/5, chance ${chance.toFixed(2)}/5`);
    });
  }

  it('no attempt asks about a claim twice', () => {
    const repeats = attempts.filter((a) => new Set(a.questions.map((q) => q.claim)).size < a.questions.length);
    assert.deepEqual(repeats.map((a) => `${a.seed}: ${a.questions.map((q) => q.id).join(', ')}`).slice(0, 5), []);
    for (const seed of [1, 2, 3]) {
      // Up to the number of claims, however many are engine-computed; the bank has more questions than claims.
      const claims = new Set(QUIZ_BANK.map((q) => q.claim)).size;
      const a = startAttempt(seed, { count: claims, scenarioQuestions: SCENARIO_QUESTION_TEMPLATES.length });
      assert.equal(new Set(a.questions.map((q) => q.claim)).size, claims);
    }
  });

  it('the right number of an engine-computed question is not always the largest, the smallest or one id', () => {
    for (const t of SCENARIO_QUESTION_TEMPLATES) {
      const qs = attempts.flatMap((a) => computedOf(a)).filter((q) => q.computed?.templateId === t.id);
      // One engine-computed question per attempt, so each template about SEEDS / templates times.
      assert.ok(qs.length > (0.6 * SEEDS) / SCENARIO_QUESTION_TEMPLATES.length, `${t.id}: drawn ${qs.length} times`);
      const ranks = qs.map((q) => q.options.filter((o) => (o.value ?? 0) < (q.computed?.measured ?? 0)).length);
      const largest = qs.filter((q, i) => ranks[i] === q.options.length - 1).length / qs.length;
      const smallest = ranks.filter((r) => r === 0).length / qs.length;
      assert.ok(largest < 0.3, `${t.id}: the largest value is right in ${(100 * largest).toFixed(0)}% of draws`);
      assert.ok(smallest < 0.3, `${t.id}: the smallest value is right in ${(100 * smallest).toFixed(0)}% of draws`);
      assert.ok(new Set(ranks).size >= 2, `${t.id}: the right value always has rank ${ranks[0]}`);
      assert.ok(new Set(qs.map((q) => q.correct)).size >= 2, `${t.id}: the right option is always ${qs[0]?.correct}`);
    }
    const computed = attempts.flatMap((a) => computedOf(a));
    for (const id of ['a', 'b', 'c', 'd']) {
      const share = computed.filter((q) => q.correct === id).length / computed.length;
      assert.ok(share > 0.1, `option ${id} is right in ${(100 * share).toFixed(0)}% of engine-computed questions`);
    }
  });

  it('the right option of a bank question is rarely the longest and never much longer than the others', () => {
    const longest = QUIZ_BANK.filter((q) => {
      const right = q.options.find((o) => o.id === q.correct)?.text.length ?? 0;
      const others = Math.max(...q.options.filter((o) => o.id !== q.correct).map((o) => o.text.length));
      assert.ok(right <= 1.2 * others, `${q.id}: the right option has ${right} characters, the others at most ${others}`);
      return right > others;
    });
    assert.ok(longest.length <= QUIZ_BANK.length / 3, `strictly the longest in ${longest.map((q) => q.id).join(', ')}`);
  });
});

describe('answer and validateAnswerMessage', () => {
  const a = startAttempt(8);
  const q = a.questions[0] as SessionQuestion;

  it('gives immediate feedback without changing the given attempt', () => {
    const wrong = wrongOption(q);
    const r = answer(a, q.id, wrong);
    assert.ok(r.ok);
    assert.deepEqual(r.feedback, {
      questionId: q.id,
      optionId: wrong,
      correct: false,
      explanation: q.options.find((o) => o.id === wrong)?.explanation,
      correctOptionId: q.correct,
      correctExplanation: q.options.find((o) => o.id === q.correct)?.explanation,
    });
    assert.deepEqual(a.answers, []);
    assert.deepEqual(r.attempt.answers, [{ questionId: q.id, optionId: wrong }]);
  });

  it('rejects a second answer with an error result, not a throw', () => {
    const first = answer(a, q.id, q.correct);
    assert.ok(first.ok);
    const second = answer(first.attempt, q.id, wrongOption(q));
    assert.equal(second.ok, false);
    assert.ok(!second.ok);
    assert.match(second.error, /already answered/);
    assert.equal(second.attempt, first.attempt);
    const v = validateAnswerMessage(first.attempt, { type: QUIZ_ANSWER_MESSAGE, questionId: q.id, optionId: q.correct });
    assert.deepEqual(v.ok, false);
  });

  it('rejects malformed messages with a reason', () => {
    const cases: [unknown, RegExp][] = [
      [null, /expected an object/],
      ['answer', /expected an object/],
      [[q.id, q.correct], /expected an object/],
      [{ questionId: 3, optionId: 'a' }, /questionId must be a string, got number/],
      [{ questionId: q.id }, /optionId must be a string, got undefined/],
      [{ questionId: q.id, optionId: null }, /optionId must be a string, got null/],
      [{ type: 'quiz/other', questionId: q.id, optionId: q.correct }, /expected type "quiz\/answer"/],
      [{ questionId: q.id, optionId: q.correct, extra: 1 }, /unexpected field "extra"/],
      [{ questionId: 'no-such-question', optionId: 'a' }, /unknown question "no-such-question"/],
      [{ questionId: q.id, optionId: 'z' }, new RegExp(`question "${q.id}" has no option "z"`)],
      [{ questionId: 'x'.repeat(5000), optionId: 'a' }, /unknown question "x{37}\.\.\."/],
    ];
    for (const [msg, reason] of cases) {
      const v = validateAnswerMessage(a, msg);
      assert.equal(v.ok, false, JSON.stringify(msg));
      assert.ok(!v.ok);
      assert.match(v.reason, reason);
    }
    const good = validateAnswerMessage(a, { type: QUIZ_ANSWER_MESSAGE, questionId: q.id, optionId: q.correct });
    assert.deepEqual(good, { ok: true, questionId: q.id, optionId: q.correct });
    const r = answer(a, 'no-such-question', 'a');
    assert.ok(!r.ok);
    assert.match(r.error, /unknown question/);
  });

  it('rejects answers once the attempt is finished', () => {
    const done = finish(a).attempt;
    const r = answer(done, q.id, q.correct);
    assert.ok(!r.ok);
    assert.match(r.error, /finished/);
  });
});

describe('attemptView and validateAttempt', () => {
  const a = startAttempt(21, { count: 5, scenarioQuestions: 2 });

  it('hide answers until a question is answered', () => {
    const view = attemptView(a);
    assert.equal(view.total, 5);
    assert.equal(view.answered, 0);
    const text = JSON.stringify(view);
    for (const q of a.questions) for (const o of q.options) assert.ok(!text.includes(o.explanation), 'explanations stay hidden');
    assert.ok(view.questions.every((q) => !('correct' in q) && q.feedback === undefined));
    assert.ok(view.questions.filter((q) => q.scenarioText !== undefined).length === 2);
    const q = a.questions[1] as SessionQuestion;
    const r = answer(a, q.id, q.correct);
    assert.ok(r.ok);
    assert.deepEqual(attemptView(r.attempt).questions[1]?.feedback, r.feedback);
  });

  it('restores a stored attempt and drops corrupted ones', () => {
    const q = a.questions[0] as SessionQuestion;
    const r = answer(a, q.id, q.correct);
    assert.ok(r.ok);
    const stored: unknown = JSON.parse(JSON.stringify(r.attempt));
    assert.deepEqual(validateAttempt(stored), r.attempt);
    const broken = (edit: (x: Attempt) => void): unknown => {
      const copy = JSON.parse(JSON.stringify(r.attempt)) as Attempt;
      edit(copy);
      return copy;
    };
    const bad: unknown[] = [
      null,
      'attempt',
      broken((x) => ((x as unknown as { v: number }).v = 2)),
      broken((x) => ((x.questions[0] as SessionQuestion).correct = 'zz')),
      broken((x) => x.answers.push({ questionId: 'nope', optionId: 'a' })),
      broken((x) => x.answers.push({ ...(x.answers[0] as { questionId: string; optionId: string }) })),
      broken((x) => ((x.questions[0] as unknown as { claim: string }).claim = 'C99')),
      broken((x) => (x.questions = [])),
      broken((x) => ((x as unknown as { seed: unknown }).seed = '7')),
    ];
    for (const b of bad) assert.equal(validateAttempt(b), undefined, JSON.stringify(b)?.slice(0, 80));
  });

  it('still loads and finishes an attempt stored before the claim rule and the reworded options', () => {
    // Seed 16 as drawn by 0.1.0 before this fix, one answer given: it asks about C3 twice (wt-latency and
    // calc:t-wt-latency). A stored attempt carries its own questions, so it is still whole and valid; it is resumed
    // as it was, and only new attempts are drawn the new way.
    const stored: unknown = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'quiz-attempt-0.1.0.json'), 'utf8'));
    const old = validateAttempt(stored);
    assert.ok(old);
    assert.deepEqual(old, stored);
    assert.deepEqual(old.questions.map((q) => q.id), ['wb-fit', 'wt-latency', 'wt-rollback', 'calc:t-wt-latency', 'wb-crash']);
    let cur = old;
    for (const q of old.questions.slice(1)) {
      const r = answer(cur, q.id, q.correct);
      assert.ok(r.ok, r.ok ? '' : r.error);
      cur = r.attempt;
    }
    assert.deepEqual(finish(cur).score, { correct: 5, total: 5, ratio: 1, passed: true });
    assert.notDeepEqual(startAttempt(16).questions.map((q) => q.id), old.questions.map((q) => q.id));
  });
});
