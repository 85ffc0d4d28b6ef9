// Index of the bundled `scenarios/*.cachescenario` files: which lesson claim each one demonstrates, its title and
// a one-line summary. Pure data (no vscode, no file access); a unit test keeps it in step with the files on disk.
import type { Strategy } from '../model/types';

export interface Example {
  /** File name inside `scenarios/`, with its `.cachescenario` extension. */
  file: string;
  /** Claim id from the lesson (`C1`..`C18`), or `extra` for showcases of product presets and failure modes. */
  claim: string;
  /** The file's title line, without its `# C8: ` (or, for an extra, `# X1: `) prefix. */
  title: string;
  /** What a run shows, in one sentence. */
  summary: string;
  /** The strategy the file's `strategy` line names. */
  strategy: Strategy;
}

export const EXAMPLES: readonly Example[] = [
  {
    file: 'c01-write-through-ack-after-both.cachescenario',
    claim: 'C1',
    title: 'Write-through acknowledges a write only after both the cache and the database confirm it',
    summary: 'The ack of a write-through write arrives after its cache step and its database step, 1 + 10 ms after it was issued.',
    strategy: 'write-through',
  },
  {
    file: 'c02-write-through-read-after-write-fresh.cachescenario',
    claim: 'C2',
    title: 'Write-through keeps cache and DB in sync; read-after-write is always fresh',
    summary: 'Cache and database agree after every ack, even when two clients race on one row, and no read is stale.',
    strategy: 'write-through',
  },
  {
    file: 'c03-write-through-two-round-trips.cachescenario',
    claim: 'C3',
    title: 'Write-through has higher write latency: two round trips',
    summary: 'Every write costs the cache round trip plus the database round trip, one after the other: 2 + 20 = 22 ms.',
    strategy: 'write-through',
  },
  {
    file: 'c04-write-through-cache-pollution.cachescenario',
    claim: 'C4',
    title: 'Write-through pollutes the cache with data that is rarely read',
    summary: 'Five records are written and cached, one is read back: four cache entries are never read.',
    strategy: 'write-through',
  },
  {
    file: 'c05-write-through-read-heavy.cachescenario',
    claim: 'C5',
    title: 'Write-through fits read-heavy, consistency-sensitive data (session stores, leaderboards)',
    summary: 'A leaderboard read far more often than written: every read is a hit and none is stale.',
    strategy: 'write-through',
  },
  {
    file: 'c06-write-behind-ack-after-cache.cachescenario',
    claim: 'C6',
    title: 'Write-behind acknowledges after the cache write; persistence is asynchronous',
    summary: 'The write is acknowledged after the 1 ms cache hop; the database gets it seconds later, at the flush.',
    strategy: 'write-behind',
  },
  {
    file: 'c07-write-behind-coalescing.cachescenario',
    claim: 'C7',
    title: 'Write-behind coalesces: many writes to one key become one DB write',
    summary: 'Six acknowledged writes to a hot key reach the database as a single row write carrying the newest value.',
    strategy: 'write-behind',
  },
  {
    file: 'c08-write-behind-crash-loses-writes.cachescenario',
    claim: 'C8',
    title: 'Write-behind loses acknowledged writes if the cache fails before flushing',
    summary: 'The three writes acknowledged after the last flush die with the crashed node; the database keeps the old rows.',
    strategy: 'write-behind',
  },
  {
    file: 'c09-write-behind-stale-db-and-other-node.cachescenario',
    claim: 'C9',
    title: 'Write-behind has a consistency gap: reads from the DB, or another cache node, are stale',
    summary: 'Before the flush, a direct database read and a read through a second cache node both return the old price.',
    strategy: 'write-behind',
  },
  {
    file: 'c10-write-behind-wal-survives-crash.cachescenario',
    claim: 'C10',
    title: 'Write-behind paired with a durable queue or WAL survives the crash',
    summary: 'The crash of c08 with the write-ahead log on: the restart replays the log and no acknowledged write is lost.',
    strategy: 'write-behind',
  },
  {
    file: 'c11-write-behind-counters.cachescenario',
    claim: 'C11',
    title: 'Write-behind fits write-heavy, loss-tolerant data (counters, IoT ingestion); not money or inventory',
    summary: 'Page-view increments cost one cache hop and flush as one summed delta; a crash loses the counts since the flush.',
    strategy: 'write-behind',
  },
  {
    file: 'c12-write-around-first-read-misses.cachescenario',
    claim: 'C12',
    title: 'Write-around sends writes to the DB only; the cache fills on read misses',
    summary: 'A write goes to the database and drops the cached copy, so the next read misses, loads the new row, then hits.',
    strategy: 'write-around',
  },
  {
    file: 'c13-write-around-no-pollution.cachescenario',
    claim: 'C13',
    title: 'Write-around avoids cache pollution',
    summary: 'The five records of c04 written around the cache: only the one that is read gets cached, pollution is zero.',
    strategy: 'write-around',
  },
  {
    file: 'c14-cache-aside-race-stale-entry.cachescenario',
    claim: 'C14',
    title: 'Cache-aside: writes go to the DB only (low latency), reads load lazily; eventually consistent, no data loss',
    summary: 'A slow reader fills the cache with the old row after a fast writer invalidated it; the stale entry lasts until its TTL.',
    strategy: 'cache-aside',
  },
  {
    file: 'c15-hybrid-fresh-and-lazy.cachescenario',
    claim: 'C15',
    title: 'Hybrid: write-through writes + cache-aside reads = fresh after writes, lazy loading for keys never written',
    summary: 'A written key is a fresh hit straight away; a key never written misses once, is loaded, then hits.',
    strategy: 'write-through+cache-aside',
  },
  {
    file: 'c16-write-through-db-failure-rolls-back.cachescenario',
    claim: 'C16',
    title: 'A write-through that fails at the DB raises and rolls back: both succeed or neither',
    summary: 'The database rejects the write: the cache entry is rolled back, the caller gets an error, both keep the old price.',
    strategy: 'write-through',
  },
  {
    file: 'c17-comparison-table-write-through.cachescenario',
    claim: 'C17',
    title: 'The comparison table (write latency, read consistency, data-loss risk, best fit) for all four strategies',
    summary: "Write-through's row of the table, measured: 11 ms writes, no stale read, nothing lost in the crash.",
    strategy: 'write-through',
  },
  {
    file: 'c17-comparison-table.cachescenario',
    claim: 'C17',
    title: 'The comparison table (write latency, read consistency, data-loss risk, best fit) for all four strategies',
    summary: "Write-behind's row, on the same workload: 1 ms writes, two stale reads and a write lost in the crash.",
    strategy: 'write-behind',
  },
  {
    file: 'c17-comparison-table-write-around.cachescenario',
    claim: 'C17',
    title: 'The comparison table (write latency, read consistency, data-loss risk, best fit) for all four strategies',
    summary: "Write-around's row, on the same workload: 10 ms writes, every read through the cache a miss, nothing lost.",
    strategy: 'write-around',
  },
  {
    file: 'c17-comparison-table-cache-aside.cachescenario',
    claim: 'C17',
    title: 'The comparison table (write latency, read consistency, data-loss risk, best fit) for all four strategies',
    summary: "Cache-aside's row, on the same workload: 10 ms writes, one stale read from a race, nothing lost.",
    strategy: 'cache-aside',
  },
  {
    file: 'c18-counters-lost-on-crash.cachescenario',
    claim: 'C18',
    title: 'Counters incremented in the cache and flushed every 60 s lose the counts since the last flush on a crash',
    summary: 'Five page views counted in the cache vanish when it crashes before the 60 s flush; the database still says 0.',
    strategy: 'write-behind',
  },
  {
    file: 'x01-ignite-backpressure-flush.cachescenario',
    claim: 'extra',
    title: "With Ignite's settings, a full write-behind queue makes the writer store an entry itself",
    summary: 'The write that finds the queue full stores the oldest pending entry itself, one database round trip, before it is acknowledged.',
    strategy: 'write-behind',
  },
  {
    file: 'x02-hazelcast-backup-survives-crash.cachescenario',
    claim: 'extra',
    title: "With Hazelcast's backups, pending writes survive the crash of the node that took them",
    summary: 'The node crashes and stays down, but the backup member flushes its pending writes: nothing is lost.',
    strategy: 'write-behind',
  },
  {
    file: 'x15-hazelcast-write-delay.cachescenario',
    claim: 'extra',
    title: "Hazelcast holds every write for its whole write delay, counted from the entry's first write",
    summary: 'A write at 900 ms misses the store worker\'s run at 1 s and goes at 2 s; a second write to a waiting key keeps its entry\'s time.',
    strategy: 'write-behind',
  },
  {
    file: 'x03-retry-then-dead-letter.cachescenario',
    claim: 'extra',
    title: 'Write-behind retries a failed flush with backoff, then gives up into the dead-letter queue',
    summary: 'With the database down, the flush is retried after 1 s and 2 s, then dead-lettered: an acknowledged write is lost.',
    strategy: 'write-behind',
  },
  {
    file: 'x04-queue-full-reject.cachescenario',
    claim: 'extra',
    title: 'A bounded write-behind queue rejects writes when it is full',
    summary: 'A write to a new key finds the two-entry queue full and fails; a write to a pending key coalesces and succeeds.',
    strategy: 'write-behind',
  },
  {
    file: 'x05-write-behind-eviction-stale-load.cachescenario',
    claim: 'extra',
    title: 'A write-behind cache too small for its data serves stale rows after an eviction',
    summary: 'A queued price change is evicted before the flush; the next read loads the old row, and that copy stays cached after the flush.',
    strategy: 'write-behind',
  },
  {
    file: 'x16-hazelcast-miss-answered-from-queue.cachescenario',
    claim: 'extra',
    title: 'Hazelcast and Ignite answer a miss from the write-behind queue: an eviction before the flush serves no old row',
    summary: 'The setup of x05 with writeBehind.loadFromQueue on: the read that misses gets the queued price from the queue, and the database is never asked.',
    strategy: 'write-behind',
  },
  {
    file: 'x06-rgsync-stream-keeps-order.cachescenario',
    claim: 'extra',
    title: 'rgsync reads its stream in order, so a failed change holds back every change after it',
    summary: 'An order whose batch fails holds back the payment written after it; with per-key order the payment would land first.',
    strategy: 'write-behind',
  },
  {
    file: 'x07-graceful-shutdown-timeout.cachescenario',
    claim: 'extra',
    title: 'A graceful shutdown flushes the write-behind queue, but only until its timeout',
    summary: 'Two nodes shut down during a database outage: node1 gives up after 5 s and loses its write; node2 waits a minute and lands it.',
    strategy: 'write-behind',
  },
  {
    file: 'x08-lost-reply-applied-twice.cachescenario',
    claim: 'extra',
    title: 'At-least-once delivery: a batch whose reply was lost is applied twice',
    summary: 'The database commits a flush but its reply is lost; the batch is sent again: the plain write keeps its value, the counter counts twice.',
    strategy: 'write-behind',
  },
  {
    file: 'x09-exactly-once-ids-table.cachescenario',
    claim: 'extra',
    title: 'Exactly-once delivery: the database skips the write ids it has already applied',
    summary: 'The same lost reply as x08, with an applied-ids table in the database: the replay is skipped and the counter ends exact.',
    strategy: 'write-behind',
  },
  {
    file: 'x12-poison-row-fails-its-batch.cachescenario',
    claim: 'extra',
    title: 'One row the database refuses takes its whole batch down, and holds back the queue behind it',
    summary: 'A poison row fails every batch that carries it: the good row in the same batch is retried with it and dead-lettered with it, and the row queued behind waits for the next flush.',
    strategy: 'write-behind',
  },
  {
    file: 'x13-poison-row-blocks-strict-order.cachescenario',
    claim: 'extra',
    title: 'In strict order, a row the database refuses blocks every change behind it until someone fixes it',
    summary: 'rgsync retries the failed batch without limit and writes nothing after it first: the database falls behind until the row is fixed, then both writes land.',
    strategy: 'write-behind',
  },
  {
    file: 'x14-write-through-dirty-read.cachescenario',
    claim: 'extra',
    title: "Write-through's window: a read can return a write that then fails (a dirty read)",
    summary: 'A second client reads the key between the cache update and the commit and gets the new price; the commit fails and is rolled back, so that read saw a value no store kept.',
    strategy: 'write-through',
  },
  {
    file: 'x11-cache-aside-lost-reply-stale.cachescenario',
    claim: 'extra',
    title: 'Cache-aside: a write whose reply was lost is in the database, but the cache is never invalidated',
    summary: 'The database commits a price change, its reply is lost, the application sees an error and skips the invalidation: reads keep the old price.',
    strategy: 'cache-aside',
  },
  {
    file: 'x10-cache-aside-basics.cachescenario',
    claim: 'extra',
    title: 'Cache-aside basics: the application loads a miss itself, and a write updates the database and drops the cached copy',
    summary: 'A cold read misses and keeps a copy; a write invalidates it, so the next read misses once and loads the new row.',
    strategy: 'cache-aside',
  },
];

/** Claim ids in lesson order, then `extra`. */
function claimOrder(claim: string): number {
  const m = /^C(\d+)$/.exec(claim);
  return m ? Number(m[1]) : Number.MAX_SAFE_INTEGER;
}

/** The examples grouped by claim, in lesson order (C1, C2, ... C18, then `extra`); files keep their order within a claim. */
export function examplesByClaim(examples: readonly Example[] = EXAMPLES): ReadonlyMap<string, readonly Example[]> {
  const groups = new Map<string, Example[]>();
  const claims = [...new Set(examples.map((e) => e.claim))].sort((a, b) => claimOrder(a) - claimOrder(b));
  for (const c of claims) groups.set(c, []);
  for (const e of examples) groups.get(e.claim)?.push(e);
  return groups;
}
