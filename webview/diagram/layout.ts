// Pure layout of a sequence diagram from a trace: lanes in a stable order, one row per step, arrows and marks.
// Returns plain data (coordinates, labels, marks) that the SVG renderer draws and the tests check; no DOM here.
import { discardedWrites, isDbFault, isDirtyRead } from '../../src/model/types.js';
import type { Json, TraceStep } from '../../src/model/types.js';
import type { DebugCheckpoint } from '../../src/views/protocol.js';

export type LaneKind = 'client' | 'node' | 'queue' | 'db' | 'other';

export interface LaneLayout {
  id: string;
  label: string;
  kind: LaneKind;
  /** Centre of the lane. */
  x: number;
}

/**
 * What a row is flagged with, besides its arrow:
 * - `lost`: the step where acknowledged writes were lost (a crash emptying a queue);
 * - `doomed`: a step carrying a write that is lost later in the run;
 * - `rollback`: the cache entry of a failed write-through was undone;
 * - `stale`: a read returned an older value than one already acknowledged;
 * - `staleFill`: a cache was filled with an older value than one already acknowledged (the entry will serve stale reads).
 *   Its badge says STALE ENTRY, not "stale fill": the `staleFills` metric counts only cache-aside fills of a row the
 *   database had already replaced, while this mark also covers a load of the old row a lost write left behind;
 * - `dirty`: a read returned a write still in progress whose writer later got an error, and no store kept it (a dirty
 *   read: write-through's cache update before its commit). Read off the whole trace, like `doomed`;
 * - `error`: the step failed (a rejected write, a DB failure);
 * - `crash`: a cache node crashed.
 */
export type StepMark = 'lost' | 'doomed' | 'rollback' | 'stale' | 'staleFill' | 'dirty' | 'error' | 'crash' | 'again';

export const MARK_LABELS: Readonly<Record<StepMark, string>> = {
  lost: 'LOST',
  doomed: 'LOST LATER',
  rollback: 'ROLLBACK',
  stale: 'STALE',
  staleFill: 'STALE ENTRY',
  dirty: 'DIRTY READ',
  error: 'ERROR',
  crash: 'CRASH',
  again: 'APPLIED AGAIN',
};

/** A mark's badge in the marks column: where it starts and how wide it is. */
export interface BadgeLayout {
  mark: StepMark;
  label: string;
  x: number;
  width: number;
}

/** Width of a badge: its label in the badge font (10.5px bold capitals, about 6.6px each) plus padding. */
export function badgeWidth(mark: StepMark): number {
  return MARK_LABELS[mark].length * 6.6 + 12;
}

/** Space between the marks column's edge and the first badge, between badges, and after the last one. */
const BADGE_PAD = 6;
const BADGE_GAP = 4;

/** Width the marks column needs for a row's badges. */
export function marksWidth(marks: readonly StepMark[]): number {
  if (marks.length === 0) return 0;
  return BADGE_PAD * 2 + marks.reduce((w, m) => w + badgeWidth(m), 0) + BADGE_GAP * (marks.length - 1);
}

export interface RowLayout {
  /** Position in the trace, 0-based. */
  index: number;
  seq: number;
  /** Baseline of the row's arrow. */
  y: number;
  from: string;
  to: string;
  x1: number;
  x2: number;
  /** An event on one lane (crash, restart, a load, a WAL append): drawn as a loop, not an arrow. */
  self: boolean;
  /** Replies and acknowledgements are drawn dashed. */
  reply: boolean;
  /** Short text on the arrow, e.g. `get product:1 → miss`. */
  label: string;
  marks: StepMark[];
  /** The marks' badges, placed in the marks column (always inside the diagram's width). */
  badges: BadgeLayout[];
  time: number;
  durationMs: number;
  /** Virtual time since the previous row; a long pause gets a divider above the row. */
  gapMs: number;
  /** Text of the divider above the row (`+5 s later`), or null. */
  gapLabel: string | null;
  /** Where that divider is drawn, or null when the row has none. */
  divider: DividerLayout | null;
  note: string;
  step: TraceStep;
}

/**
 * The divider above a row after a long pause: a dotted line across the gap between two rows, and its label on the
 * line's right end. The label is centred on the line, inside the gap: above it, it reached into the row before, whose
 * highlight (an outline in the high-contrast themes) ran through the words.
 */
export interface DividerLayout {
  /** The line's y, halfway between the row above and this one. */
  y: number;
  /** Baseline of the label (text-anchor end at `labelRight`). */
  baseline: number;
  labelRight: number;
  /** The line runs from x = 4 to here, stopping short of the label. */
  lineEnd: number;
}

export interface LayoutOptions {
  /** Horizontal distance between lane centres. Default 132. */
  laneSpacing: number;
  /** Vertical distance between rows. Default 30. */
  rowHeight: number;
  /** Space above the first row for the lane headers. Default 52. */
  headerHeight: number;
  /** Width of the time column on the left. Default 72. */
  timeColumn: number;
  /** Least width of the marks column on the right; wider when a row's badges need more. Default 110. */
  marksColumn: number;
  /**
   * Width available on screen (0: lay out at the natural size). When the natural size is wider, the lanes move closer
   * (down to `minLaneSpacing`) and the time column narrows (down to `minTimeColumn`) so the marks column stays in view.
   */
  fitWidth: number;
  /** Closest the lanes get when fitting. Default 92. */
  minLaneSpacing: number;
  /** Narrowest time column when fitting. Default 64. */
  minTimeColumn: number;
  /** A pause at least this long (virtual ms) between two rows gets a divider. Default 1000. */
  gapThresholdMs: number;
  /** Extra height of a divider row. Default 18. */
  gapHeight: number;
}

export const DEFAULT_LAYOUT: LayoutOptions = {
  laneSpacing: 132,
  rowHeight: 30,
  headerHeight: 52,
  timeColumn: 72,
  marksColumn: 110,
  fitWidth: 0,
  minLaneSpacing: 92,
  minTimeColumn: 64,
  gapThresholdMs: 1000,
  gapHeight: 18,
};

export interface DiagramLayout {
  width: number;
  height: number;
  lanes: LaneLayout[];
  rows: RowLayout[];
  /** Where lane lines start and end. */
  laneTop: number;
  laneBottom: number;
  /** Left edge of the marks column. */
  marksX: number;
  /** The spacing and time column used (narrower than the options' when the layout was fitted to a width). */
  laneSpacing: number;
  timeColumn: number;
}

const NODE_LANE = /^node(\d+)$/;
const QUEUE_LANE = /^node(\d+)\/queue$/;

export function laneKind(lane: string): LaneKind {
  if (lane === 'db') return 'db';
  if (NODE_LANE.test(lane)) return 'node';
  if (QUEUE_LANE.test(lane)) return 'queue';
  return 'other';
}

export function laneLabel(lane: string): string {
  const q = QUEUE_LANE.exec(lane);
  if (q) return `node${q[1] ?? ''} queue`;
  if (lane === 'db') return 'database';
  return lane;
}

/**
 * Lanes of a trace in a stable order: clients (in order of first appearance), then each cache node `node1..N` in
 * numeric order with its write-behind queue right after it, then any other lane, then `db`. A lane is a client when
 * some step names it as its client or it is neither a node, a queue nor the database.
 */
export function orderLanes(steps: readonly TraceStep[]): string[] {
  const seen: string[] = [];
  const add = (lane: string): void => {
    if (!seen.includes(lane)) seen.push(lane);
  };
  for (const s of steps) {
    if (s.client !== null) add(s.client);
    add(s.from);
    add(s.to);
  }
  const clients = seen.filter((l) => laneKind(l) === 'other');
  const nodeNumbers = new Set<number>();
  for (const l of seen) {
    const m = NODE_LANE.exec(l) ?? QUEUE_LANE.exec(l);
    if (m) nodeNumbers.add(Number(m[1]));
  }
  const nodes: string[] = [];
  for (const n of [...nodeNumbers].sort((a, b) => a - b)) {
    if (seen.includes(`node${n}`)) nodes.push(`node${n}`);
    if (seen.includes(`node${n}/queue`)) nodes.push(`node${n}/queue`);
  }
  const db = seen.includes('db') ? ['db'] : [];
  return [...clients, ...nodes, ...db];
}

/**
 * Marks of every step, by index. A write is lost when a step with outcome `lost` names it in `writes`; the steps
 * that carried it before (cache set, enqueue, its ack) are marked `doomed`, so the diagram shows what will vanish.
 */
export function stepMarks(steps: readonly TraceStep[]): StepMark[][] {
  const lostWrites = new Set<number>();
  for (const s of steps) if (s.outcome === 'lost') for (const w of s.writes ?? []) lostWrites.add(w);
  const discarded = discardedWrites(steps);
  // Newest acknowledged write per key so far, to spot a fill that stores something older.
  const newestAcked = new Map<string, number>();
  return steps.map((s) => {
    const marks: StepMark[] = [];
    if (s.key !== null && s.version !== undefined) {
      // Write ids grow in issue order, so a cache store carrying a smaller id than an acknowledged write is stale.
      const stores = s.action === 'cache.load' || s.action === 'cache.set';
      if (stores && s.version < (newestAcked.get(s.key) ?? 0)) marks.push('staleFill');
      if (s.action === 'ack' && s.outcome === 'ok') newestAcked.set(s.key, Math.max(s.version, newestAcked.get(s.key) ?? 0));
    }
    if (s.action === 'crash') marks.push('crash');
    if (s.outcome === 'lost') marks.push('lost');
    if (s.outcome !== 'lost' && s.version !== undefined && lostWrites.has(s.version)) marks.push('doomed');
    if (s.action === 'cache.rollback') marks.push('rollback');
    if (s.outcome === 'stale') marks.push('stale');
    if (isDirtyRead(s, discarded)) marks.push('dirty');
    if (s.appliedAgain !== undefined && s.appliedAgain.length > 0) marks.push('again');
    if (s.outcome === 'error' && !isDbFault(s.action)) marks.push('error');
    return marks;
  });
}

/**
 * `12 ms`, `6.002 s`, `2 min 5 s`: virtual durations for labels and announcements. Past a second they keep the
 * millisecond, the unit of every hop: rounded to 10 ms, three writes 1 ms apart all read "6 s", each "took 1 ms".
 */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  if (Math.abs(ms) < 1000) return `${Number(ms.toFixed(2))} ms`;
  if (Math.abs(ms) < 60_000) return `${Number((ms / 1000).toFixed(3))} s`;
  const min = Math.floor(ms / 60_000);
  const s = Number(((ms - min * 60_000) / 1000).toFixed(3));
  return s === 0 ? `${min} min` : `${min} min ${s} s`;
}

/** Advance of one character of the time column (11px monospace, about 0.6em), rounded up. */
const TIME_CHAR_WIDTH = 6.7;
/** The time column's labels end this far left of the first lane's edge, and keep this margin on the left. */
const TIME_LABEL_GAP = 10;
const TIME_LABEL_MARGIN = 4;

/** Width of the time column the longest time label of `steps` needs ("1 min 30.026 s" needs more than the default). */
export function timeColumnNeeded(steps: readonly TraceStep[]): number {
  const longest = steps.reduce((n, s) => Math.max(n, formatMs(s.time).length), 'time'.length);
  return Math.ceil(longest * TIME_CHAR_WIDTH) + TIME_LABEL_GAP + TIME_LABEL_MARGIN;
}

/**
 * A variant's label inside a sentence ("Write-behind, crash before flush variant"): lower case, but an abbreviation
 * keeps its capitals, so a screen reader says "WAL" and "DB", not the word "wal" or "db".
 */
export function labelInSentence(label: string): string {
  return label.split(' ').map((word) => (word.length > 1 && word === word.toUpperCase() ? word : word.toLowerCase())).join(' ');
}

/** A JSON value shortened for a label: `{"price":12}`, or its start with an ellipsis. */
export function shortValue(v: Json | undefined, max = 28): string {
  if (v === undefined) return '';
  const text = JSON.stringify(v);
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const READ_REPLY_OUTCOMES = new Set(['fresh', 'stale', 'hit', 'miss']);

/** The short text drawn on a step's arrow. */
export function stepLabel(s: TraceStep): string {
  const k = s.key ?? '';
  const withKey = (verb: string): string => (k ? `${verb} ${k}` : verb);
  switch (s.action) {
    case 'cache.get':
      return `${withKey('get')} → ${s.outcome}`;
    case 'cache.set':
      return withKey('set');
    case 'cache.delete':
      return withKey('invalidate');
    case 'cache.incr':
      return withKey('incr');
    case 'cache.load':
      return withKey('fill');
    case 'cache.rollback':
      return withKey('roll back');
    case 'cache.evict':
      return withKey('evict');
    case 'cache.expire':
      return withKey('expire');
    case 'db.lock':
      return withKey('lock row');
    case 'db.read':
      return withKey('read');
    case 'db.write':
      // A row loaded before the run is a database-only event without a client.
      if (s.from === 'db' && s.to === 'db' && s.client === null) return withKey('load');
      return s.outcome === 'error' ? `${withKey('write')} ✗` : s.replyLost ? `${withKey('write')}, no reply` : withKey('write');
    case 'db.incr':
      return s.replyLost ? `${withKey('add')}, no reply` : withKey('add');
    case 'db.batch': {
      const n = s.writes?.length ?? 0;
      return `flush ${n} ${n === 1 ? 'write' : 'writes'}${s.replyLost ? ', no reply' : ''}`;
    }
    case 'queue.enqueue':
      return withKey('enqueue');
    case 'queue.coalesce':
      return withKey('coalesce');
    case 'queue.reject':
      return withKey('queue full: reject');
    case 'queue.block':
      return withKey('queue full: wait');
    case 'queue.retry':
      return withKey('retry');
    case 'queue.deadLetter':
      return withKey('dead letter');
    case 'queue.lost':
      return withKey('lost');
    case 'wal.append':
      return 'WAL append';
    case 'wal.replay':
      return 'WAL replay';
    case 'ack':
      return READ_REPLY_OUTCOMES.has(s.outcome) ? (s.outcome === 'stale' ? 'reply (stale)' : 'reply') : 'ack';
    case 'error':
      return 'error';
    case 'crash':
      return 'crash';
    case 'shutdown':
      return s.outcome === 'pending' ? 'shutting down' : 'shut down';
    case 'restart':
      return 'restart';
    case 'db.down':
      return 'database down';
    case 'db.up':
      return s.key !== null ? `accept writes of ${s.key}` : 'database up';
    case 'db.failNext':
      return failNextLabel(s.note, s.replyLost === true);
    case 'db.failKey':
      return `refuse writes of ${s.key ?? 'a key'}`;
    case 'advance':
      return 'time passes';
    case 'expect':
      return 'expect';
    default: {
      const unknownAction: never = s.action;
      return String(unknownAction);
    }
  }
}

/**
 * The label of a `db.failNext` step, with its count: "fail next write" for one, "fail next 3 writes" for three, and
 * for lost replies (`replies`) "lose next reply", "lose next 3 replies". The count is only in the engine's note ("the
 * next database write transaction will fail", "the next 3 database write transactions commit, but..."); a note of
 * another shape gets the count-free "fail next writes" or "lose next replies".
 */
function failNextLabel(note: string, replies: boolean): string {
  const [verb, one, many] = replies ? ['lose', 'reply', 'replies'] : ['fail', 'write', 'writes'];
  if (/^the next database write transaction\b/.test(note)) return `${verb} next ${one}`;
  const m = /^the next (\d+) database write transactions\b/.exec(note);
  return m ? `${verb} next ${m[1]} ${many}` : `${verb} next ${many}`;
}

/** One sentence for screen readers and the current-step panel: who, what, where, when, why. */
export function describeStep(s: TraceStep, index: number, total: number): string {
  const route = s.from === s.to ? `on ${laneLabel(s.from)}` : `${laneLabel(s.from)} to ${laneLabel(s.to)}`;
  const value = s.value === undefined ? '' : `, value ${shortValue(s.value, 60)}`;
  return `Step ${index + 1} of ${total}, at ${formatMs(s.time)}, took ${formatMs(s.durationMs)}: ${route}, ${stepLabel(s)}${value}. ${s.note}`;
}

/** The current-step panel and the live region while the debugger stands before the first step (on entry). */
export function describeBeforeFirstStep(total: number): string {
  return `Before the first step (0 of ${total}), at ${formatMs(0)}: the debugger is on entry and nothing has run yet.`;
}

/**
 * Where a diagram that follows the debugger stands: -1 before the first step (`seq` null: on entry, or at a line
 * before any step ran), else the index of the step with that `seq`; undefined when the trace has no such step.
 */
export function debugStepIndex(steps: readonly TraceStep[], seq: number | null): number | undefined {
  if (seq === null) return -1;
  const index = steps.findIndex((s) => s.seq === seq);
  return index >= 0 ? index : undefined;
}

/**
 * Whether "Move the debugger here" can move the debugger to step `seq`: anywhere but where it stands. At a checkpoint
 * the highlighted step (`debugSeq`) is the one before the line, not the debugger's own stop, so it is a move too.
 */
export function canMoveDebuggerTo(seq: number, debugSeq: number | null, checkpoint: DebugCheckpoint | null): boolean {
  return seq !== debugSeq || checkpoint !== null;
}

/**
 * Under the step the diagram shows, while it follows a debugger: where the debugger is, in words, since its own
 * colour on the diagram is all a sighted learner had, and nothing a screen reader says.
 */
export function debuggerWhere(seq: number, debugSeq: number | null, checkpoint: DebugCheckpoint | null): string {
  if (debugSeq === null) return 'The debugger stands before the first step.';
  if (checkpoint !== null) return `The debugger is on the ${checkpoint.kind} on line ${checkpoint.line}, after step ${debugSeq}.`;
  return seq === debugSeq ? 'The debugger is stopped at this step.' : `The debugger is at step ${debugSeq}.`;
}

/** The tooltip of "Move the debugger here" on step `seq`: which way the debugger goes, and from where. */
export function moveDebuggerTitle(seq: number, debugSeq: number | null, checkpoint: DebugCheckpoint | null): string {
  const from = debugSeq === null
    ? 'it stands before the first step'
    : checkpoint !== null
      ? `it is on the ${checkpoint.kind} on line ${checkpoint.line}, after step ${debugSeq}`
      : `it is at step ${debugSeq}`;
  const way = debugSeq === null || seq > debugSeq ? 'ahead' : 'back';
  return `Send the debugger ${way} to step ${seq} (${from})`;
}

/** What the live region says when playback starts (the step descriptions follow only when it stops). */
export function describePlaybackStart(index: number, total: number, speed: number): string {
  return `Playing from step ${index + 1} of ${total} at ${speed}× speed. Space pauses.`;
}

/**
 * The step to show of a trace of `total` steps: `step` within 0..total-1. With no steps yet (the trace is still
 * loading) the step is kept as it is, so a step restored from the saved state survives until its trace arrives.
 */
export function stepWithin(step: number, total: number): number {
  if (total <= 0) return step;
  return Math.min(total - 1, Math.max(0, Math.floor(step)));
}

/** Advance of one character of a divider's label (11px italic), a little over what it measures in the Modern themes. */
const DIVIDER_CHAR_WIDTH = 6;
/** Half the height of the label's digits and capitals: their middle sits on the line. */
const DIVIDER_LABEL_HALF_HEIGHT = 4;

function divider(label: string, y: number, labelRight: number): DividerLayout {
  const lineEnd = Math.max(4, labelRight - label.length * DIVIDER_CHAR_WIDTH - 6);
  return { y, baseline: y + DIVIDER_LABEL_HALF_HEIGHT, labelRight, lineEnd };
}

/** Lays out a trace as a sequence diagram. Pure: the same steps and options always give the same layout. */
export function layoutDiagram(steps: readonly TraceStep[], options: Partial<LayoutOptions> = {}): DiagramLayout {
  const o: LayoutOptions = { ...DEFAULT_LAYOUT, ...options };
  const laneIds = orderLanes(steps);
  const marks = stepMarks(steps);
  const marksColumn = Math.max(o.marksColumn, ...marks.map(marksWidth));
  const laneCount = Math.max(1, laneIds.length);
  // Never narrower than its longest label, which would run off the diagram's left edge.
  const timeNeeded = timeColumnNeeded(steps);
  let laneSpacing = o.laneSpacing;
  let timeColumn = Math.max(o.timeColumn, timeNeeded);
  if (o.fitWidth > 0 && timeColumn + laneCount * laneSpacing + marksColumn > o.fitWidth) {
    timeColumn = Math.max(Math.min(o.timeColumn, o.minTimeColumn), timeNeeded);
    const fitted = Math.floor((o.fitWidth - timeColumn - marksColumn) / laneCount);
    laneSpacing = Math.max(Math.min(o.minLaneSpacing, o.laneSpacing), Math.min(o.laneSpacing, fitted));
  }
  const lanes: LaneLayout[] = laneIds.map((id, i) => ({
    id,
    label: laneLabel(id),
    kind: laneKind(id) === 'other' ? 'client' : laneKind(id),
    x: timeColumn + laneSpacing / 2 + i * laneSpacing,
  }));
  const xOf = new Map(lanes.map((l) => [l.id, l.x]));
  const marksX = timeColumn + laneCount * laneSpacing;

  const rows: RowLayout[] = [];
  let y = o.headerHeight + o.rowHeight / 2;
  let previousTime = 0;
  steps.forEach((s, index) => {
    const gapMs = index === 0 ? 0 : s.time - previousTime;
    const gap = index > 0 && gapMs >= o.gapThresholdMs;
    if (gap) y += o.gapHeight;
    const gapLabel = gap ? `+${formatMs(gapMs)} later` : null;
    const x1 = xOf.get(s.from) ?? 0;
    const x2 = xOf.get(s.to) ?? 0;
    const rowMarks = marks[index] ?? [];
    let badgeX = marksX + BADGE_PAD;
    const badges = rowMarks.map((mark) => {
      const badge = { mark, label: MARK_LABELS[mark], x: badgeX, width: badgeWidth(mark) };
      badgeX += badge.width + BADGE_GAP;
      return badge;
    });
    rows.push({
      index,
      seq: s.seq,
      y,
      from: s.from,
      to: s.to,
      x1,
      x2,
      self: s.from === s.to,
      reply: s.action === 'ack' || s.action === 'error' || s.action === 'cache.load',
      label: stepLabel(s),
      marks: rowMarks,
      badges,
      time: s.time,
      durationMs: s.durationMs,
      gapMs,
      gapLabel,
      divider: gapLabel === null ? null : divider(gapLabel, y - o.rowHeight / 2 - o.gapHeight / 2, marksX - 8),
      note: s.note,
      step: s,
    });
    previousTime = s.time;
    y += o.rowHeight;
  });

  const laneBottom = y - o.rowHeight / 2 + 8;
  return {
    width: marksX + marksColumn,
    height: laneBottom + 12,
    lanes,
    rows,
    laneTop: o.headerHeight - 8,
    laneBottom,
    marksX,
    laneSpacing,
    timeColumn,
  };
}
