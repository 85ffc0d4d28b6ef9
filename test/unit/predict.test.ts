// Prediction mode's questions (webview/diagram/predict.ts), on the traces the lesson's diagrams draw and on every
// bundled scenario: which steps ask, what each answer is (the engine's outcome, never typed in), that no question
// gives its answer away, and where a move forward stops to ask.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TraceStep } from '../../src/model/types';
import { traceScenarioText } from '../../src/views/traces';

import type * as Module from '../../webview/diagram/predict.js' with { 'resolution-mode': 'import' };
let P: typeof Module;
before(async () => {
  P = await import('../../webview/diagram/predict.js');
});

function trace(file: string): TraceStep[] {
  const r = traceScenarioText(file, readFileSync(join(process.cwd(), 'scenarios', file), 'utf8'));
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.steps;
}

function bundled(prefix: string): string {
  const f = readdirSync(join(process.cwd(), 'scenarios')).find((n) => n.startsWith(prefix));
  assert.ok(f, `no bundled scenario ${prefix}`);
  return f;
}

/** The other outcome a step of each kind could have had. */
const OTHER: Partial<Record<TraceStep['outcome'], TraceStep['outcome']>> = { hit: 'miss', miss: 'hit', fresh: 'stale', stale: 'fresh', persisted: 'error', error: 'persisted' };

/** Every question of a trace as "seq action: correct". */
function questions(steps: readonly TraceStep[]): string[] {
  const out: string[] = [];
  steps.forEach((s, i) => {
    const q = P.predictionFor(steps, i);
    if (q !== null) out.push(`${s.seq} ${s.action}: ${q.correct}`);
  });
  return out;
}

describe('prediction mode: the questions', () => {
  it('asks about a crash before a flush, the stale read after it and whether each write-behind write is in the database yet (C8)', () => {
    const steps = trace(bundled('c08-'));
    assert.deepEqual(questions(steps), ['6 ack: no', '10 ack: no', '13 ack: no', '16 ack: no', '17 crash: lost', '22 cache.get: miss', '25 ack: stale']);
  });

  it('answers "yes" for write-through, whose acknowledgement follows the commit (C1)', () => {
    const steps = trace(bundled('c01-'));
    const acks = questions(steps).filter((q) => q.includes(' ack: '));
    assert.ok(acks.length > 0);
    for (const q of acks) assert.match(q, /ack: (yes|fresh)$/);
    assert.ok(acks.some((q) => q.endsWith('ack: yes')));
  });

  it('asks whether a database write commits only after a database fault in the run, and answers from the outcome (C16)', () => {
    const steps = trace(bundled('c16-'));
    assert.deepEqual(questions(steps), ['2 cache.get: miss', '5 ack: fresh', '8 db.write: error', '11 cache.get: hit', '12 ack: fresh', '14 db.write: persisted', '15 ack: yes']);
    // The row loaded before the run is no question, although a database write.
    assert.equal(P.predictionFor(steps, 0), null);
  });

  it('answers a crash that loses nothing with "kept": the write-ahead log (C10)', () => {
    const steps = trace(bundled('c10-'));
    const crash = steps.findIndex((s) => s.action === 'crash');
    assert.equal(P.predictionFor(steps, crash)?.correct, 'kept');
  });

  it('on every bundled scenario: two options, the answer is one of them, and the question is the same whichever the outcome', () => {
    const files = readdirSync(join(process.cwd(), 'scenarios')).filter((f) => f.endsWith('.cachescenario'));
    assert.ok(files.length >= 30);
    let asked = 0;
    const answers = new Set<string>();
    for (const file of files) {
      const steps = trace(file);
      steps.forEach((s, i) => {
        const q = P.predictionFor(steps, i);
        if (q === null) return;
        asked++;
        answers.add(q.correct);
        assert.equal(q.options.length, 2, file);
        assert.ok(q.options.some((o) => o.id === q.correct), `${file} step ${s.seq}: the answer is an option`);
        assert.notEqual(q.options[0].id, q.options[1].id);
        // A read of a write still in progress asks whether that write is kept: its answer follows the writer's error.
        const inProgress = q.options.some((o) => o.id === 'dirty');
        if (inProgress) {
          const settled = steps.map((x) => (x.action === 'error' && x.version === s.version ? { ...x, action: 'ack' as const, outcome: 'ok' as const } : x));
          const failed = steps.map((x, j) => (j > i && x.action === 'ack' && x.outcome === 'ok' && x.version === s.version ? { ...x, action: 'error' as const, outcome: 'error' as const } : x));
          const [q1, q2] = [P.predictionFor(settled, i), P.predictionFor(failed, i)];
          assert.deepEqual([q1?.question, q2?.question], [q.question, q.question], `${file} step ${s.seq}`);
          assert.deepEqual([q1?.correct, q2?.correct], ['kept', 'dirty'], `${file} step ${s.seq}: the answer follows the write's fate`);
        }
        // Nothing gives the answer away: the step with the other outcome asks the very same question.
        const other = s.action === 'crash' ? (s.outcome === 'lost' ? 'ok' : 'lost') : OTHER[s.outcome];
        if (other !== undefined && !inProgress) {
          const flipped = steps.map((x, j) => (j === i ? { ...x, outcome: other } : x));
          const q2 = P.predictionFor(flipped, i);
          assert.equal(q2?.question, q.question, `${file} step ${s.seq}`);
          assert.deepEqual(q2?.options, q.options, `${file} step ${s.seq}`);
          assert.notEqual(q2?.correct, q.correct, `${file} step ${s.seq}: the answer follows the outcome`);
        }
        // Outcomes the checker and the engine decided, read back.
        if (s.action === 'cache.get' || (s.action === 'ack' && (s.outcome === 'fresh' || s.outcome === 'stale') && !inProgress)) assert.equal(q.correct, s.outcome);
        if (s.action === 'crash') assert.equal(q.correct, s.outcome === 'lost' ? 'lost' : 'kept');
      });
    }
    assert.ok(asked > 200, `only ${asked} questions over ${files.length} scenarios`);
    // Every kind of answer happens somewhere in the bundled scenarios.
    assert.deepEqual([...answers].sort(), ['dirty', 'error', 'fresh', 'hit', 'kept', 'lost', 'miss', 'no', 'persisted', 'stale', 'yes']);
  });

  it('asks nothing about steps that are no question: an enqueue, a flush with no fault in the run, a failed read', () => {
    const steps = trace(bundled('c08-'));
    for (const [i, s] of steps.entries()) {
      if (['queue.enqueue', 'cache.set', 'db.batch', 'db.read', 'cache.load', 'queue.lost', 'restart'].includes(s.action)) assert.equal(P.predictionFor(steps, i), null, `${s.seq} ${s.action}`);
    }
    assert.equal(P.predictionFor(steps, steps.length), null);
    assert.equal(P.predictionFor(steps, -1), null);
  });
});

describe('prediction mode: where a move forward stops', () => {
  it('stops right before the first question not yet answered, and goes on once it is answered', () => {
    const steps = trace(bundled('c08-'));
    const ack = steps.findIndex((s) => s.seq === 6);
    assert.deepEqual(P.stopBeforeQuestion(steps, 0, steps.length - 1, new Map()), { stop: ack - 1, ask: ack });
    const answered = new Map([[ack, 'yes']]);
    const next = steps.findIndex((s) => s.seq === 10);
    assert.deepEqual(P.stopBeforeQuestion(steps, ack, steps.length - 1, answered), { stop: next - 1, ask: next });
    // A move that ends before the next question is not held.
    assert.deepEqual(P.stopBeforeQuestion(steps, ack, next - 1, answered), { stop: next - 1, ask: null });
    // An answered question is not asked again on a second pass.
    assert.deepEqual(P.stopBeforeQuestion(steps, ack - 1, ack, answered), { stop: ack, ask: null });
  });

  it('asks of a read that returned a write still in progress whether that write is kept: x14\'s is not', () => {
    const steps = trace(bundled('x14-'));
    const read = steps.findIndex((s) => s.client === 'bob' && s.action === 'ack');
    assert.deepEqual(P.predictionFor(steps, read), {
      question: 'node1 answers bob\'s read of product:1 with {"price":12}, a write still in progress: its writer has no answer yet. Will that write be kept?',
      options: [
        { id: 'kept', text: 'Yes: it commits, and the reader saw the value the stores keep' },
        { id: 'dirty', text: 'No: it fails and is undone, so the reader saw a value no store keeps (a dirty read)' },
      ],
      correct: 'dirty',
    });
    // The last read returns the row loaded before the run: the usual fresh-or-stale question.
    assert.equal(P.predictionFor(steps, steps.length - 1)?.correct, 'fresh');
  });

  it('keeps a read\'s DIRTY READ mark back until its writer\'s error has been shown', () => {
    const steps = trace(bundled('x14-'));
    const read = steps.findIndex((s) => s.client === 'bob' && s.action === 'ack');
    const error = steps.findIndex((s) => s.action === 'error');
    assert.deepEqual([steps[read]?.seq, steps[error]?.seq], [5, 8]);
    assert.equal(P.failureRevealed(steps, read, read), false);
    assert.equal(P.failureRevealed(steps, read, error - 1), false);
    assert.equal(P.failureRevealed(steps, read, error), true);
    // The last read returns the row loaded before the run, whose writer never failed.
    assert.equal(P.failureRevealed(steps, steps.length - 1, steps.length - 1), false);
  });

  it('keeps a write\'s LOST LATER mark back until the step that loses it has been shown', () => {
    const steps = trace(bundled('c08-'));
    const doomedAck = steps.findIndex((s) => s.seq === 10);
    const lost = steps.findIndex((s) => s.action === 'queue.lost' && s.writes?.includes(steps[doomedAck]?.version ?? -1));
    assert.ok(doomedAck > 0 && lost > doomedAck);
    assert.equal(P.lossRevealed(steps, doomedAck, doomedAck), false);
    assert.equal(P.lossRevealed(steps, doomedAck, lost - 1), false);
    assert.equal(P.lossRevealed(steps, doomedAck, lost), true);
    // A write that is never lost (the first, flushed before the crash), and a step that carries no write.
    const kept = steps.findIndex((s) => s.seq === 6);
    assert.equal(P.lossRevealed(steps, kept, steps.length - 1), false);
    assert.equal(P.lossRevealed(steps, steps.findIndex((s) => s.action === 'crash'), steps.length - 1), false);
  });

  it('gives the verdict on one answer: right or not, and the right answer\'s text', () => {
    const steps = trace(bundled('c08-'));
    const q = P.predictionFor(steps, steps.findIndex((s) => s.action === 'crash'));
    assert.ok(q);
    const lost = 'Yes: acknowledged writes never reach the database';
    assert.deepEqual(P.verdictOf(q, 'lost'), { right: true, answer: lost });
    assert.deepEqual(P.verdictOf(q, 'kept'), { right: false, answer: lost });
  });

  it('scores the answers against the trace: "1 of 2 predictions right"', () => {
    const steps = trace(bundled('c08-'));
    const ack = steps.findIndex((s) => s.seq === 6);
    const crash = steps.findIndex((s) => s.action === 'crash');
    assert.equal(P.predictionScore(steps, new Map()), '');
    assert.equal(P.predictionScore(steps, new Map([[ack, 'no']])), '1 of 1 prediction right');
    assert.equal(P.predictionScore(steps, new Map([[ack, 'no'], [crash, 'kept']])), '1 of 2 predictions right');
  });
});
