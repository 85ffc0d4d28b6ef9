// "Predict, then see": the questions a sequence diagram asks before it shows a step, when the learner turns prediction
// on. Each is read off the trace itself (the step's outcome, and what came before it in the same run), so its answer
// is the engine's, never typed in. Pure: the diagram element renders them and keeps the score.
import { discardedWrites, isDbFault } from '../../src/model/types.js';
import type { TraceStep } from '../../src/model/types.js';
import { laneLabel } from './layout.js';

export interface PredictionOption {
  id: string;
  text: string;
}

export interface Prediction {
  /** The question, asked while the step is still hidden: it never names the step's outcome. */
  question: string;
  /** Two options, in a fixed order (the first is never more likely to be right than the second). */
  options: [PredictionOption, PredictionOption];
  /** Id of the option the trace bears out. */
  correct: string;
}

/** Database writes: a row written for the client or a flush's batch (a row loaded before the run is no question). */
const DB_WRITES = new Set(['db.write', 'db.incr', 'db.batch']);

function who(lane: string): string {
  return laneLabel(lane);
}

/** Whether a step before `index` matches (a scan, not a copy of the trace's prefix). */
function anyBefore(steps: readonly TraceStep[], index: number, match: (s: TraceStep) => boolean): boolean {
  for (let i = 0; i < index && i < steps.length; i++) if (match(steps[i] as TraceStep)) return true;
  return false;
}

/** Whether the writer of write `version` gets its answer (an acknowledgement or an error) after step `index`. */
function settlesAfter(steps: readonly TraceStep[], index: number, version: number): boolean {
  for (let i = index + 1; i < steps.length; i++) {
    const p = steps[i] as TraceStep;
    if (p.version === version && p.op !== null && ((p.action === 'ack' && p.outcome === 'ok') || p.action === 'error')) return true;
  }
  return false;
}

/**
 * The question to ask before step `index` of `steps` is shown, or null when the step is not one to predict. Asked:
 * - a cache lookup: hit or miss;
 * - a read's answer: fresh or stale (as the consistency checker judged it); for a read that returned a write still in
 *   progress, whether that write is kept (or the read was dirty);
 * - a write's acknowledgement: does the database have the write yet (a database commit of the same operation came
 *   first, or not);
 * - a cache node's crash: are acknowledged writes lost with it;
 * - a database write after a database fault in the run: does it commit.
 */
export function predictionFor(steps: readonly TraceStep[], index: number): Prediction | null {
  const s = steps[index];
  if (s === undefined) return null;
  const key = s.key ?? 'the key';
  switch (s.action) {
    case 'cache.get':
      if (s.outcome !== 'hit' && s.outcome !== 'miss') return null;
      return {
        question: `${who(s.from)} looks up ${key} in ${who(s.to)}. Is ${key} cached there?`,
        options: [
          { id: 'hit', text: 'Yes: a hit, answered from the cache' },
          { id: 'miss', text: 'No: a miss, so the value has to come from the database' },
        ],
        correct: s.outcome,
      };
    case 'ack': {
      if ((s.outcome === 'fresh' || s.outcome === 'stale') && s.version !== undefined && settlesAfter(steps, index, s.version)) {
        // The read returned a write still in progress (write-through's cache update before its commit): whether it is
        // fresh says little; whether that write is kept is the question (a dirty read if it is not).
        return {
          question: `${who(s.from)} answers ${who(s.to)}'s read of ${key}${s.value === undefined ? '' : ` with ${JSON.stringify(s.value)}`}, a write still in progress: its writer has no answer yet. Will that write be kept?`,
          options: [
            { id: 'kept', text: 'Yes: it commits, and the reader saw the value the stores keep' },
            { id: 'dirty', text: 'No: it fails and is undone, so the reader saw a value no store keeps (a dirty read)' },
          ],
          correct: discardedWrites(steps).has(s.version) ? 'dirty' : 'kept',
        };
      }
      if (s.outcome === 'fresh' || s.outcome === 'stale') {
        return {
          question: `${who(s.from)} answers ${who(s.to)}'s read of ${key}${s.value === undefined ? '' : ` with ${JSON.stringify(s.value)}`}. Is that the newest value a writer has been told is saved?`,
          options: [
            { id: 'fresh', text: 'Yes: fresh, no newer write was acknowledged before the read began' },
            { id: 'stale', text: 'No: stale, a newer write had already been acknowledged' },
          ],
          correct: s.outcome,
        };
      }
      if (s.outcome !== 'ok' || s.op === null) return null;
      // A write's acknowledgement: did the database commit this operation's write before it?
      const stored = anyBefore(steps, index, (p) => p.op === s.op && (p.action === 'db.write' || p.action === 'db.incr') && p.outcome === 'persisted');
      return {
        question: `${who(s.to)}'s write of ${key} is acknowledged now. Does the database already have it?`,
        options: [
          { id: 'yes', text: 'Yes: the database committed it before the acknowledgement' },
          { id: 'no', text: 'No: only the cache has it so far' },
        ],
        correct: stored ? 'yes' : 'no',
      };
    }
    case 'crash':
      return {
        question: `${who(s.from)} crashes now. Does any write that a client was told is saved get lost with it?`,
        options: [
          { id: 'lost', text: 'Yes: acknowledged writes never reach the database' },
          { id: 'kept', text: 'No: every acknowledged write is (or will be) in the database' },
        ],
        correct: s.outcome === 'lost' ? 'lost' : 'kept',
      };
    default:
      break;
  }
  if (!DB_WRITES.has(s.action) || (s.op === null && s.action !== 'db.batch')) return null;
  if (s.outcome !== 'persisted' && s.outcome !== 'error') return null;
  if (!anyBefore(steps, index, (p) => isDbFault(p.action))) return null;
  const what = s.action === 'db.batch' ? `${who(s.from)} flushes a batch to the database` : `${who(s.from)} sends the write of ${key} to the database`;
  return {
    question: `${what}. Does the database commit it?`,
    options: [
      { id: 'persisted', text: 'Yes: it commits' },
      { id: 'error', text: 'No: it fails and nothing is written' },
    ],
    correct: s.outcome,
  };
}

/**
 * Where a move forward from `from` to `to` must stop in prediction mode: the step before the first one in
 * (from, to] that asks a question not yet answered, or `to` when none does. (Moves back are never held.)
 */
export function stopBeforeQuestion(steps: readonly TraceStep[], from: number, to: number, answered: ReadonlyMap<number, string>): { stop: number; ask: number | null } {
  for (let i = Math.max(0, from + 1); i <= to; i++) {
    if (!answered.has(i) && predictionFor(steps, i) !== null) return { stop: i - 1, ask: i };
  }
  return { stop: to, ask: null };
}

/**
 * Whether the loss of step `index`'s write has been shown by step `current`: a step up to there, with outcome `lost`,
 * names it. Until then prediction mode keeps the step's LOST LATER mark (`doomed`, read off the whole trace) hidden.
 */
export function lossRevealed(steps: readonly TraceStep[], index: number, current: number): boolean {
  const version = steps[index]?.version;
  return version !== undefined && anyBefore(steps, current + 1, (s) => s.outcome === 'lost' && s.writes?.includes(version) === true);
}

/**
 * Whether the failure of the write step `index`'s read returned has been shown by step `current`: its writer's error,
 * up to there. Until then prediction mode keeps the read's DIRTY READ mark (`dirty`, read off the whole trace) hidden.
 */
export function failureRevealed(steps: readonly TraceStep[], index: number, current: number): boolean {
  const version = steps[index]?.version;
  return version !== undefined && anyBefore(steps, current + 1, (s) => s.action === 'error' && s.version === version);
}

/** Whether `choice` answers `q` right, and the right answer's text (what the verdict shows when it does not). */
export function verdictOf(q: Prediction, choice: string): { right: boolean; answer: string } {
  return { right: q.correct === choice, answer: q.options.find((o) => o.id === q.correct)?.text ?? '' };
}

/** The score line: "2 of 3 predictions right"; empty before the first answer. */
export function predictionScore(steps: readonly TraceStep[], answered: ReadonlyMap<number, string>): string {
  if (answered.size === 0) return '';
  let right = 0;
  for (const [i, choice] of answered) {
    const q = predictionFor(steps, i);
    if (q !== null && verdictOf(q, choice).right) right++;
  }
  return `${right} of ${answered.size} prediction${answered.size === 1 ? '' : 's'} right`;
}
