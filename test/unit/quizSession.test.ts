// Knowledge-check sessions: the 70% boundary through finish(), engine-computed answers recomputed independently,
// deterministic shuffling, one correct option with explanations everywhere, and answer messages that are rejected.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { metricValue } from '../../src/model/types';
import { parseScenario } from '../../src/scenario/parser';
import { runProgram } from '../../src/scenario/runner';
import { QUIZ_BANK, SCENARIO_QUESTION_TEMPLATES, instantiateTemplate } from '../../src/lesson/index';
import { QUIZ_ANSWER_MESSAGE, answer, attemptView, finish, startAttempt, validateAnswerMessage, validateAttempt } from '../../src/lesson/quizSession';
import type { Attempt, SessionQuestion } from '../../src/lesson/quizSession';

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
    const all = startAttempt(5, { count: 5, scenarioQuestions: SCENARIO_QUESTION_TEMPLATES.length });
    assert.deepEqual(computedOf(all).map((q) => q.computed?.templateId).sort(), SCENARIO_QUESTION_TEMPLATES.map((t) => t.id).sort());
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
  });

  it('pin one question exactly (seed 42)', () => {
    const q = computedOf(startAttempt(42, { count: 6, scenarioQuestions: 3 })).find((x) => x.computed?.templateId === 't-wb-crash-lost');
    assert.ok(q?.computed);
    assert.deepEqual(q.computed.params, { flush: 60, n: 5, t: 7, key: 'views:home' });
    assert.equal(q.computed.measured, 5);
    assert.deepEqual(q.options.map((o) => o.value).sort(), [0, 1, 4, 5]);
    assert.match(q.options.find((o) => o.value === 0)?.explanation ?? '', /backup/);
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
});
