// The consistency checker against a brute-force oracle written from the definitions (architecture.md, consistency.ts):
// random synthetic histories of plain writes and reads in one total order, plus hand-written histories with known answers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ConsistencyChecker, NOTHING_PENDING } from '../../src/model/consistency';
import type { Pending, ReadToken } from '../../src/model/consistency';
import { RecordFactory } from '../../src/model/records';
import type { WriteRecord } from '../../src/model/types';

const RUNS = 3000;
const KEY_NAMES = ['a', 'b', 'c'];

/** One event of a synthetic history; its position in `events` is its place in the total order. */
type HistoryEvent =
  | { kind: 'issue'; write: number }
  | { kind: 'ack'; write: number }
  /** The database commits the write into its key's row (before or after its acknowledgement, at most once). */
  | { kind: 'commit'; write: number }
  | { kind: 'start'; read: number }
  /** `returned`: a write index, 'pre' (the key's preloaded row) or null (the key was missing). */
  | { kind: 'finish'; read: number; returned: number | 'pre' | null };

interface Synthetic {
  writes: { key: string }[];
  reads: { key: string }[];
  /** Keys with a row before the run. */
  preloaded: string[];
  events: HistoryEvent[];
  /** Final DB record per key: a write index, 'pre', or null (no row). */
  db: Record<string, number | 'pre' | null>;
  /** Writes still pending somewhere (queue, log), for the live count. */
  pending: number[];
}

type Command = { t: 'issue'; key: number } | { t: 'ack'; pick: number } | { t: 'commit'; pick: number } | { t: 'start'; key: number } | { t: 'finish'; pick: number; ret: number };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: fc.record({ t: fc.constant('issue' as const), key: fc.nat(KEY_NAMES.length - 1) }), weight: 3 },
  { arbitrary: fc.record({ t: fc.constant('ack' as const), pick: fc.nat(20) }), weight: 4 },
  { arbitrary: fc.record({ t: fc.constant('commit' as const), pick: fc.nat(20) }), weight: 3 },
  { arbitrary: fc.record({ t: fc.constant('start' as const), key: fc.nat(KEY_NAMES.length - 1) }), weight: 3 },
  { arbitrary: fc.record({ t: fc.constant('finish' as const), pick: fc.nat(20), ret: fc.nat(20) }), weight: 3 },
);

/** Commands pick among what is possible at their point (unacked writes, unfinished reads, earlier writes to the key). */
const syntheticArb: fc.Arbitrary<Synthetic> = fc
  .record({
    // Mostly one key, so writes and reads meet often enough to be stale or lost.
    keyCount: fc.oneof({ arbitrary: fc.constant(1), weight: 3 }, { arbitrary: fc.integer({ min: 2, max: KEY_NAMES.length }), weight: 2 }),
    preload: fc.array(fc.boolean(), { minLength: KEY_NAMES.length, maxLength: KEY_NAMES.length }),
    commands: fc.array(commandArb, { minLength: 4, maxLength: 30 }),
    dbPicks: fc.array(fc.nat(20), { minLength: KEY_NAMES.length, maxLength: KEY_NAMES.length }),
    pendingPicks: fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
  })
  .map(({ keyCount, preload, commands, dbPicks, pendingPicks }) => {
    const keys = KEY_NAMES.slice(0, keyCount);
    const s: Synthetic = { writes: [], reads: [], preloaded: keys.filter((_, i) => preload[i]), events: [], db: {}, pending: [] };
    const unacked: number[] = [];
    const uncommitted: number[] = [];
    const open: number[] = [];
    for (const c of commands) {
      if (c.t === 'issue') {
        s.writes.push({ key: keys[c.key % keyCount] as string });
        unacked.push(s.writes.length - 1);
        uncommitted.push(s.writes.length - 1);
        s.events.push({ kind: 'issue', write: s.writes.length - 1 });
      } else if (c.t === 'ack') {
        if (unacked.length === 0) continue;
        const [w] = unacked.splice(c.pick % unacked.length, 1);
        s.events.push({ kind: 'ack', write: w as number });
      } else if (c.t === 'commit') {
        if (uncommitted.length === 0) continue;
        const [w] = uncommitted.splice(c.pick % uncommitted.length, 1);
        s.events.push({ kind: 'commit', write: w as number });
      } else if (c.t === 'start') {
        s.reads.push({ key: keys[c.key % keyCount] as string });
        open.push(s.reads.length - 1);
        s.events.push({ kind: 'start', read: s.reads.length - 1 });
      } else {
        if (open.length === 0) continue;
        const [r] = open.splice(c.pick % open.length, 1);
        const key = (s.reads[r as number] as { key: string }).key;
        s.events.push({ kind: 'finish', read: r as number, returned: pick(c.ret, choicesFor(s, key)) });
      }
    }
    keys.forEach((key, i) => (s.db[key] = pick(dbPicks[i] as number, choicesFor(s, key))));
    s.pending = s.writes.map((_, i) => i).filter((i) => pendingPicks[i]);
    return s;
  });

/** What a read of `key` could return, or the DB could hold, given the writes issued so far. */
function choicesFor(s: Synthetic, key: string): (number | 'pre' | null)[] {
  const out: (number | 'pre' | null)[] = [null];
  if (s.preloaded.includes(key)) out.push('pre');
  s.writes.forEach((w, i) => {
    if (w.key === key) out.push(i);
  });
  return out;
}

function pick<T>(n: number, xs: readonly T[]): T {
  return xs[n % xs.length] as T;
}

interface Verdicts {
  /** Per read, in read order: stale, or undefined if it never finished. */
  stale: (boolean | undefined)[];
  staleReads: number;
  lost: number;
  lostLive: number;
}

/** Feeds the history to the ConsistencyChecker. */
function runChecker(s: Synthetic): Verdicts {
  const checker = new ConsistencyChecker();
  const records = new RecordFactory();
  const pre = new Map<string, WriteRecord>(s.preloaded.map((k) => [k, records.preloaded(k)]));
  const recs = s.writes.map((w) => records.create(w.key, undefined, null));
  const tokens: ReadToken[] = [];
  const stale: (boolean | undefined)[] = s.reads.map(() => undefined);
  const recOf = (key: string, x: number | 'pre' | null): WriteRecord | undefined => (x === null ? undefined : x === 'pre' ? pre.get(key) : recs[x]);
  // The database's commits, numbered in order; a preloaded row is committed before everything.
  let commits = 0;
  for (const [key, rec] of pre) {
    rec.commitSeq = ++commits;
    checker.writeCommittedIn(checker.history(key), rec);
  }
  s.events.forEach((e, i) => {
    if (e.kind === 'issue') checker.writeIssued(recs[e.write] as WriteRecord);
    else if (e.kind === 'ack') checker.writeAcked(recs[e.write] as WriteRecord, i);
    else if (e.kind === 'commit') {
      const rec = recs[e.write] as WriteRecord;
      rec.commitSeq = ++commits;
      checker.writeCommittedIn(checker.history(rec.key), rec);
    }
    else if (e.kind === 'start') tokens[e.read] = checker.readStarted((s.reads[e.read] as { key: string }).key);
    else stale[e.read] = checker.readFinished(tokens[e.read] as ReadToken, recOf((s.reads[e.read] as { key: string }).key, e.returned));
  });
  const db = { row: (key: string) => (s.db[key] === undefined || s.db[key] === null ? undefined : { ...(recOf(key, s.db[key]) as WriteRecord), incrOps: 0 }) };
  const pendingSeqs = new Set(s.pending.map((i) => (recs[i] as WriteRecord).issueSeq));
  const pending: Pending = { has: (seq) => pendingSeqs.has(seq), incrOps: () => 0 };
  return { stale, staleReads: checker.staleReads, lost: checker.lostWrites(db, NOTHING_PENDING), lostLive: checker.lostWrites(db, pending) };
}

/**
 * The oracle, straight from the definitions, by scanning all pairs; positions are indices in `events`, a preloaded
 * row counts as issued and acknowledged before everything. W ranges over client writes (the ones the checker is told
 * about); a preloaded row is only ever a returned value or a DB record.
 */
function oracle(s: Synthetic): Verdicts {
  const issuedAt = s.writes.map(() => -1);
  const ackedAt: (number | undefined)[] = s.writes.map(() => undefined);
  const committedAt: (number | undefined)[] = s.writes.map(() => undefined);
  const startAt = s.reads.map(() => -1);
  s.events.forEach((e, i) => {
    if (e.kind === 'issue') issuedAt[e.write] = i;
    else if (e.kind === 'ack') ackedAt[e.write] = i;
    else if (e.kind === 'commit') committedAt[e.write] = i;
    else if (e.kind === 'start') startAt[e.read] = i;
  });
  const PRE = -1;
  const ackOf = (x: number | 'pre'): number | undefined => (x === 'pre' ? PRE : ackedAt[x]);
  const issueOf = (x: number | 'pre'): number => (x === 'pre' ? PRE : (issuedAt[x] as number));
  const commitOf = (x: number | 'pre'): number | undefined => (x === 'pre' ? PRE : committedAt[x]);
  /** The write the key's row held just before event `at`: the last one committed, else the preloaded row, else none. */
  const rowBefore = (key: string, at: number): number | 'pre' | null => {
    let held: number | 'pre' | null = s.preloaded.includes(key) ? 'pre' : null;
    s.events.forEach((e, i) => {
      if (i < at && e.kind === 'commit' && (s.writes[e.write] as { key: string }).key === key) held = e.write;
    });
    return held;
  };
  const stale: (boolean | undefined)[] = s.reads.map(() => undefined);
  s.events.forEach((e, finishedAt) => {
    if (e.kind !== 'finish') return;
    const key = (s.reads[e.read] as { key: string }).key;
    const began = startAt[e.read] as number;
    const ackedBefore = s.writes.map((w, i) => ({ w, i })).filter(({ w, i }) => w.key === key && ackedAt[i] !== undefined && (ackedAt[i] as number) < began);
    if (e.returned === null) {
      // A read of a missing key is stale when any write to the key was acknowledged before it began.
      stale[e.read] = ackedBefore.length > 0;
    } else {
      // Stale when some write acknowledged before the read began was issued after the returned write was acknowledged;
      // or when the row held, as the read began, an acknowledged write that overlapped the returned one and was
      // committed after it.
      const r = e.returned;
      const rAck = ackOf(r);
      const byTime = rAck !== undefined && ackedBefore.some(({ i }) => (issuedAt[i] as number) > rAck);
      const m = rowBefore(key, began);
      const mAck = m === null ? undefined : ackOf(m);
      const rCommit = commitOf(r);
      const mCommit = m === null ? undefined : commitOf(m);
      // (The returned write must have been acknowledged by the time the read is judged, as it finishes.)
      const byCommit =
        m !== null &&
        mAck !== undefined &&
        mAck < began &&
        rAck !== undefined &&
        rAck < finishedAt &&
        rCommit !== undefined &&
        mCommit !== undefined &&
        rCommit < mCommit &&
        issueOf(m) < rAck &&
        issueOf(r) < mAck;
      stale[e.read] = byTime || byCommit;
    }
  });
  const lostCount = (pending: ReadonlySet<number>): number => {
    let lost = 0;
    s.writes.forEach((w, i) => {
      if (ackedAt[i] === undefined || pending.has(i)) return;
      const d = s.db[w.key] ?? null;
      if (d === i) return;
      // Lost when the DB holds nothing, or a record acknowledged before this write was issued.
      const dAck = d === null ? undefined : ackOf(d);
      if (d === null || (dAck !== undefined && dAck < (issuedAt[i] as number))) lost++;
    });
    return lost;
  };
  return { stale, staleReads: stale.filter((x) => x === true).length, lost: lostCount(new Set()), lostLive: lostCount(new Set(s.pending)) };
}

function describeSynthetic(s: Synthetic): string {
  const name = (x: number | 'pre' | null): string => (x === null ? 'missing' : x === 'pre' ? 'preloaded' : `w${x}`);
  const lines = s.preloaded.map((k) => `load ${k}`);
  s.events.forEach((e, i) => {
    if (e.kind === 'issue') lines.push(`${i}: issue w${e.write} (${(s.writes[e.write] as { key: string }).key})`);
    else if (e.kind === 'ack') lines.push(`${i}: ack w${e.write}`);
    else if (e.kind === 'commit') lines.push(`${i}: commit w${e.write}`);
    else if (e.kind === 'start') lines.push(`${i}: start r${e.read} (${(s.reads[e.read] as { key: string }).key})`);
    else lines.push(`${i}: finish r${e.read} -> ${name(e.returned)}`);
  });
  lines.push(`db: ${Object.entries(s.db).map(([k, v]) => `${k}=${name(v)}`).join(' ')}`, `pending: ${s.pending.map((i) => `w${i}`).join(' ')}`);
  return lines.join('\n');
}

describe('consistency checker vs brute-force oracle', () => {
  it(`agrees on every read's staleness and on lost-write counts (${RUNS} synthetic histories)`, () => {
    fc.assert(
      fc.property(syntheticArb, (s) => {
        const got = runChecker(s);
        const want = oracle(s);
        assert.deepEqual(got, want, `checker and oracle disagree on:\n${describeSynthetic(s)}`);
      }),
      { numRuns: RUNS },
    );
  });
});

/**
 * A hand-written history: `issue NAME KEY`, `ack NAME`, `commit NAME` (the database commits it), `load NAME KEY` (a
 * preloaded row, never committed here unless the script says so), `start READ KEY`,
 * `finish READ NAME|-`; `db` maps each key to the name of the write it holds, or null.
 */
function play(script: string[], db: Record<string, string | null>): { stale: Record<string, boolean>; staleReads: number; lost: number } {
  const checker = new ConsistencyChecker();
  const records = new RecordFactory();
  const recs = new Map<string, WriteRecord>();
  const tokens = new Map<string, ReadToken>();
  const stale: Record<string, boolean> = {};
  let commits = 0;
  script.forEach((line, i) => {
    const [verb, name, arg] = line.split(' ') as [string, string, string | undefined];
    if (verb === 'load') recs.set(name, records.preloaded(arg as string));
    else if (verb === 'issue') {
      const rec = records.create(arg as string, undefined, null);
      recs.set(name, rec);
      checker.writeIssued(rec);
    } else if (verb === 'ack') checker.writeAcked(recs.get(name) as WriteRecord, i);
    else if (verb === 'commit') {
      const rec = recs.get(name) as WriteRecord;
      rec.commitSeq = ++commits;
      checker.writeCommittedIn(checker.history(rec.key), rec);
    }
    else if (verb === 'start') tokens.set(name, checker.readStarted(arg as string));
    else if (verb === 'finish') stale[name] = checker.readFinished(tokens.get(name) as ReadToken, arg === '-' ? undefined : recs.get(arg as string));
    else throw new Error(`bad script line ${line}`);
  });
  const row = (key: string) => {
    const w = db[key];
    return w === undefined || w === null ? undefined : { ...(recs.get(w) as WriteRecord), incrOps: 0 };
  };
  return { stale, staleReads: checker.staleReads, lost: checker.lostWrites({ row }, NOTHING_PENDING) };
}

describe('consistency checker: hand-written histories', () => {
  it('a read returning an older acknowledged write, after a newer one was acknowledged, is stale', () => {
    const r = play(['issue w1 k', 'ack w1', 'issue w2 k', 'ack w2', 'start r1 k', 'finish r1 w1', 'start r2 k', 'finish r2 w2'], { k: 'w2' });
    assert.deepEqual(r, { stale: { r1: true, r2: false }, staleReads: 1, lost: 0 });
  });

  it('overlapping writes the database has not ordered: returning either is fresh', () => {
    const r = play(['issue w1 k', 'issue w2 k', 'ack w1', 'ack w2', 'start r1 k', 'finish r1 w1', 'start r2 k', 'finish r2 w2'], { k: 'w1' });
    // w2 was issued before w1 was acknowledged, so neither is certainly newer; the DB holding w1 loses nothing either.
    assert.deepEqual(r, { stale: { r1: false, r2: false }, staleReads: 0, lost: 0 });
  });

  it('overlapping writes the database committed: the one its row holds is newer, the other is stale', () => {
    // Two cache nodes: node1 keeps w1 while the database (and node2) went on to w2.
    const r = play(['issue w1 k', 'issue w2 k', 'commit w1', 'ack w1', 'commit w2', 'ack w2', 'start r1 k', 'finish r1 w1', 'start r2 k', 'finish r2 w2'], { k: 'w2' });
    assert.deepEqual(r, { stale: { r1: true, r2: false }, staleReads: 1, lost: 0 });
  });

  it('the row decides only once its write is acknowledged, and only for a write committed before it', () => {
    // r1 began while w2 was committed but not acknowledged; r2 returned w2 itself; r3 returned w1 committed after w2.
    const r = play(['issue w1 k', 'issue w2 k', 'commit w1', 'ack w1', 'commit w2', 'start r1 k', 'ack w2', 'finish r1 w1', 'start r2 k', 'finish r2 w2'], { k: 'w2' });
    assert.deepEqual(r, { stale: { r1: false, r2: false }, staleReads: 0, lost: 0 });
    const later = play(['issue w1 k', 'issue w2 k', 'commit w2', 'ack w2', 'commit w1', 'ack w1', 'start r3 k', 'finish r3 w1'], { k: 'w1' });
    assert.deepEqual(later, { stale: { r3: false }, staleReads: 0, lost: 0 });
  });

  it('a newer write that an older one overwrote in the database is not stale (the newer write is the lost one)', () => {
    // w2 was issued after w1 was acknowledged (write-behind on two nodes: node1 flushed w2, node2 flushed w1 later).
    const r = play(['issue w1 k', 'ack w1', 'issue w2 k', 'ack w2', 'commit w2', 'commit w1', 'start r1 k', 'finish r1 w2', 'start r2 k', 'finish r2 w1'], { k: 'w1' });
    assert.deepEqual(r, { stale: { r1: false, r2: true }, staleReads: 1, lost: 1 });
  });

  it('a write acknowledged after the read began does not make it stale', () => {
    const r = play(['issue w1 k', 'ack w1', 'issue w2 k', 'start r1 k', 'ack w2', 'finish r1 w1'], { k: 'w2' });
    assert.deepEqual(r, { stale: { r1: false }, staleReads: 0, lost: 0 });
  });

  it('a missing key is stale only once a write to it was acknowledged before the read began', () => {
    const r = play(['issue w1 k', 'start r1 k', 'finish r1 -', 'ack w1', 'start r2 k', 'finish r2 -', 'start r3 j', 'finish r3 -'], { k: 'w1' });
    assert.deepEqual(r, { stale: { r1: false, r2: true, r3: false }, staleReads: 1, lost: 0 });
  });

  it('a value from a write never acknowledged (in flight or rolled back) is not stale', () => {
    const r = play(['issue w1 k', 'ack w1', 'issue w2 k', 'ack w2', 'issue w3 k', 'start r1 k', 'finish r1 w3'], { k: 'w2' });
    assert.deepEqual(r, { stale: { r1: false }, staleReads: 0, lost: 0 });
  });

  it('a preloaded row read after an acknowledged write is stale; before any, fresh', () => {
    const r = play(['load p k', 'start r1 k', 'finish r1 p', 'issue w1 k', 'ack w1', 'start r2 k', 'finish r2 p'], { k: 'w1' });
    assert.deepEqual(r, { stale: { r1: false, r2: true }, staleReads: 1, lost: 0 });
  });

  it('the DB holding an older acknowledged write loses the newer one', () => {
    const script = ['issue w1 k', 'ack w1', 'issue w2 k', 'ack w2'];
    assert.equal(play(script, { k: 'w1' }).lost, 1);
    assert.equal(play(script, { k: 'w2' }).lost, 0);
    assert.equal(play(script, { k: null }).lost, 2);
  });

  it('a preloaded row left in the DB loses every acknowledged write to the key', () => {
    assert.equal(play(['load p k', 'issue w1 k', 'ack w1', 'issue w2 k', 'ack w2', 'issue w3 k'], { k: 'p' }).lost, 2);
  });

  it('overlapping writes: whichever the DB holds, nothing is lost', () => {
    const script = ['issue w1 k', 'issue w2 k', 'ack w2', 'ack w1'];
    assert.equal(play(script, { k: 'w1' }).lost, 0);
    assert.equal(play(script, { k: 'w2' }).lost, 0);
  });

  it('the DB holding a write never acknowledged is not older than anything', () => {
    assert.equal(play(['issue w1 k', 'ack w1', 'issue w2 k'], { k: 'w2' }).lost, 0);
    // ...but a write never acknowledged cannot be lost either.
    assert.equal(play(['issue w1 k', 'ack w1', 'issue w2 k'], { k: 'w1' }).lost, 0);
  });

  it('keys are judged separately', () => {
    const r = play(['issue a1 a', 'ack a1', 'issue b1 b', 'ack b1', 'start r1 a', 'finish r1 -', 'start r2 b', 'finish r2 b1'], { a: 'a1', b: null });
    assert.deepEqual(r, { stale: { r1: true, r2: false }, staleReads: 1, lost: 1 });
  });
});
