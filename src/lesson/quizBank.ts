// The knowledge check: a fixed bank of multiple-choice questions, one claim each, plus templates for questions
// whose answer the engine computes by running a generated scenario.
import type { ClaimId } from './sections';

export interface QuizOption {
  id: string;
  text: string;
  /** Why this option is right or wrong; shown after answering, whichever option was picked. */
  explanation: string;
}

/** `definition`: what a strategy does; `scenario`: reason about a concrete run; `choose`: pick a strategy for a system. */
export type QuestionStyle = 'definition' | 'scenario' | 'choose';

export interface QuizQuestion {
  id: string;
  claim: ClaimId;
  style: QuestionStyle;
  prompt: string;
  /** Three or four options; their order is shuffled when an attempt is drawn. */
  options: QuizOption[];
  /** Id of the one correct option. */
  correct: string;
}

export const QUIZ_BANK: readonly QuizQuestion[] = [
  {
    id: 'wt-ack',
    claim: 'C1',
    style: 'definition',
    prompt: 'Under write-through, when does the caller receive its acknowledgement?',
    options: [
      { id: 'a', text: 'As soon as the cache has stored the new value, before the database is written', explanation: 'That is write-behind: it acknowledges after the cache write and persists later.' },
      { id: 'b', text: 'Only after both the cache and the database have confirmed the write', explanation: 'Correct. Write-through makes both stores confirm before the caller hears success.' },
      { id: 'c', text: 'After the database confirms; the cache is filled by the next read', explanation: 'That describes write-around, which leaves the cache out of the write path.' },
      { id: 'd', text: 'Immediately, before either the cache or the database is touched', explanation: 'No strategy in this lesson does that; an ack that promises nothing would make every guarantee meaningless.' },
    ],
    correct: 'b',
  },
  {
    id: 'wt-fresh',
    claim: 'C2',
    style: 'scenario',
    prompt: 'A write-through service acknowledges an update to `user:42`. A moment later another request reads `user:42` through the same cache. What does it get?',
    options: [
      { id: 'a', text: 'The new value, served from the cache', explanation: 'Correct. The ack came only after this cache and the database both held the new value, so a later read through this cache sees it. (Another, independent cache node that held the key before would still serve its old copy.)' },
      { id: 'b', text: 'The old value, until the next flush', explanation: 'There is no flush in write-through; the database write happened before the ack.' },
      { id: 'c', text: 'A cache miss, followed by a database load', explanation: 'Write-through puts written keys into the cache. A miss after a write is the behaviour of write-around.' },
    ],
    correct: 'a',
  },
  {
    id: 'wt-latency',
    claim: 'C3',
    style: 'scenario',
    prompt: 'A cache round trip takes 1\u00a0ms and a database round trip takes 10\u00a0ms. How long does one write-through write take?',
    options: [
      { id: 'a', text: 'About 1\u00a0ms', explanation: 'That is the cost of a write-behind write, which returns after the cache alone.' },
      { id: 'b', text: 'About 10\u00a0ms', explanation: 'That counts only the database; write-through also waits for the cache.' },
      { id: 'c', text: 'About 11\u00a0ms', explanation: 'Correct. The two round trips happen one after the other, so their latencies add up.' },
      { id: 'd', text: 'About 21\u00a0ms', explanation: 'The database is written once per write, and its reply is the confirmation: there is no second database round trip.' },
    ],
    correct: 'c',
  },
  {
    id: 'wt-pollution',
    claim: 'C4',
    style: 'scenario',
    prompt: 'A service writes every audit event through a write-through cache, but audit events are almost never read. What is the main cost?',
    options: [
      { id: 'a', text: 'Cache space goes to events nobody reads, pushing out data that is read often', explanation: 'Correct. Write-through caches every written key; cold entries waste memory and can evict hot ones.' },
      { id: 'b', text: 'Audit events can be lost if the cache crashes before the database has them', explanation: 'Write-through acknowledges only after the database has the event, so a cache crash loses nothing.' },
      { id: 'c', text: 'Readers see stale audit events while the database catches up with the cache', explanation: 'Write-through acknowledges only once the database has the event, so the database never lags behind the cache that took the write; this is not the cost of write-through here.' },
      { id: 'd', text: 'Every read of an audit event misses the cache and goes to the database', explanation: 'The opposite: written events are already in the cache. Misses after writes happen under write-around.' },
    ],
    correct: 'a',
  },
  {
    id: 'wt-fit',
    claim: 'C5',
    style: 'choose',
    prompt: 'Which of these workloads suits write-through best?',
    options: [
      { id: 'a', text: 'A session store read on every request and updated at login and logout', explanation: 'Correct. It is read-heavy, and an update must be visible immediately: the pay-off of synchronous writes.' },
      { id: 'b', text: 'Click counters bumped thousands of times a second, read once a minute', explanation: 'Counters are write-heavy and tolerate a little loss; write-behind with coalescing fits them better.' },
      { id: 'c', text: 'A nightly import of millions of log lines that nobody reads back', explanation: 'Caching data that is never read is pure pollution; write-around fits it better.' },
    ],
    correct: 'a',
  },
  {
    id: 'wb-latency',
    claim: 'C6',
    style: 'definition',
    prompt: 'With write-behind, what does the caller wait for when it writes?',
    options: [
      { id: 'a', text: 'One cache round trip; the flush writes the database later', explanation: 'Correct. Persistence is asynchronous, which is why write-behind writes are so fast.' },
      { id: 'b', text: 'A cache round trip plus a database round trip, one after the other', explanation: 'That is write-through.' },
      { id: 'c', text: 'One database round trip, while the cache is updated in the background', explanation: 'That is roughly what write-around and cache-aside cost.' },
      { id: 'd', text: 'The flush interval, so the data is safe before the ack', explanation: 'If the caller waited for the flush, the strategy would lose its whole benefit; it does not wait.' },
    ],
    correct: 'a',
  },
  {
    id: 'wb-backpressure',
    claim: 'C6',
    style: 'scenario',
    prompt: 'A write-behind queue fills faster than the database drains it. Apache Ignite then has each writing thread store a pending entry itself once the buffer reaches 1.5 times its flush size. What do writers experience at that point?',
    options: [
      { id: 'a', text: 'Writes slow down to database speed, because the caller now waits on a store', explanation: 'Correct. Backpressure ends the "ack after the cache write" fast path until the queue drains.' },
      { id: 'b', text: 'Writes are silently dropped until the queue has room again', explanation: 'Ignite does not drop writes under backpressure; a rejecting product (Hazelcast, with coalescing off) reports an error instead.' },
      { id: 'c', text: 'Nothing changes: a write-behind write always costs one cache round trip', explanation: 'Only while the queue has room. A full queue must block, reject or flush synchronously.' },
    ],
    correct: 'a',
  },
  {
    id: 'wb-coalesce',
    claim: 'C7',
    style: 'scenario',
    prompt: 'Write-behind with coalescing on and a 5\u00a0s flush interval: a sensor updates `temp:7` ten times within two seconds. How many row writes does the next flush send for that key?',
    options: [
      { id: 'a', text: '10', explanation: 'That is what happens with coalescing off: every change is persisted in order.' },
      { id: 'b', text: '1', explanation: 'Correct. Coalescing keeps only the newest pending value per key, so ten updates become one database write.' },
      { id: 'c', text: '0', explanation: 'The key did change, so its newest value must still reach the database.' },
    ],
    correct: 'b',
  },
  {
    id: 'wb-crash',
    claim: 'C8',
    style: 'scenario',
    prompt: 'A write-behind cache flushes every 30\u00a0s; the last flush ran at t = 0. Between t = 5\u00a0s and t = 20\u00a0s it acknowledges 40 writes to 40 different keys, then crashes at t = 25\u00a0s. There is no log and no backup. How many of those writes are lost?',
    options: [
      { id: 'a', text: 'None: they were acknowledged', explanation: 'An ack from a write-behind cache means "cached", not "persisted".' },
      { id: 'b', text: 'All 40, since none of them had been flushed', explanation: 'Correct. Everything acknowledged since the last flush lived only in the crashed process.' },
      { id: 'c', text: 'Only the writes from the last 5\u00a0s before the crash', explanation: 'The window runs from the last flush to the crash, not a fixed few seconds.' },
      { id: 'd', text: 'One, because coalescing merged them', explanation: 'Coalescing merges writes to the same key; these were 40 different keys.' },
    ],
    correct: 'b',
  },
  {
    id: 'wb-gap',
    claim: 'C9',
    style: 'scenario',
    prompt: 'Write-behind, two independent cache nodes, one database. A client updates `price:9` through node1. Before the flush, a report queries the database directly and another request reads `price:9` through node2. What do they see?',
    options: [
      { id: 'a', text: 'Both see the new price', explanation: 'The new price exists only in node1 and its queue until the flush.' },
      { id: 'b', text: 'Both see the old price', explanation: 'Correct. This is the consistency gap: the database lags until the flush, and node2, which loads from the database, serves the old price meanwhile (and keeps serving a copy it cached until it is evicted or expires).' },
      { id: 'c', text: 'The report sees the new price; node2 sees the old one', explanation: 'The database has not been written yet, so the report sees the old price too.' },
      { id: 'd', text: 'node2 sees the new price because nodes share one queue', explanation: 'Each node has its own cache and queue; nothing tells node2 about node1\'s pending write.' },
    ],
    correct: 'b',
  },
  {
    id: 'wb-wal',
    claim: 'C10',
    style: 'definition',
    prompt: 'What lets a write-behind cache survive a crash between the ack and the flush without losing writes?',
    options: [
      { id: 'a', text: 'A shorter flush interval, so fewer writes wait in the queue', explanation: 'It shrinks the window of loss but never closes it.' },
      { id: 'b', text: 'A durable log written before each ack and replayed on restart', explanation: 'Correct. With a write-ahead log the pending writes outlive the process, so restart replays them.' },
      { id: 'c', text: 'Turning coalescing off, so each write reaches the database', explanation: 'Coalescing changes how many database writes a flush makes, not whether pending writes survive.' },
      { id: 'd', text: 'A bigger queue, so no pending write has to be dropped', explanation: 'A bigger in-memory queue only holds more writes that a crash can lose.' },
    ],
    correct: 'b',
  },
  {
    id: 'wb-idempotent',
    claim: 'C10',
    style: 'definition',
    prompt: 'Hazelcast and Redis rgsync deliver write-behind changes at least once: after a failure, a change can be replayed. What must the database write therefore be?',
    options: [
      { id: 'a', text: 'Idempotent, like an upsert of the final value', explanation: 'Correct. Applying the same change twice must leave the same row.' },
      { id: 'b', text: 'As fast as a cache write, so replays do not pile up', explanation: 'Speed does not matter for correctness here; duplicates do.' },
      { id: 'c', text: 'Batched one row at a time, so a replay touches a single row', explanation: 'Batch size does not stop a replayed change from being applied twice.' },
    ],
    correct: 'a',
  },
  {
    id: 'wb-fit',
    claim: 'C11',
    style: 'choose',
    prompt: 'For which data is a plain write-behind cache, with its queue in memory only, an acceptable choice?',
    options: [
      { id: 'a', text: 'Bank account balances changed by card payments', explanation: 'Money must never vanish after an ack, and write-behind can lose it in a crash before the flush.' },
      { id: 'b', text: 'Warehouse stock counts that decide what the shop can still sell', explanation: 'Inventory is exactly the kind of data the lesson warns against putting behind a lossy cache.' },
      { id: 'c', text: 'Temperature readings, where an occasional gap is harmless', explanation: 'Correct. Write-heavy, loss-tolerant data gets the speed without a real cost.' },
      { id: 'd', text: 'Order confirmations shown to customers at checkout', explanation: 'A customer told "ordered" whose order disappears is a real loss; use a durable path.' },
    ],
    correct: 'c',
  },
  {
    id: 'wb-ledger',
    claim: 'C11',
    style: 'choose',
    prompt: 'A teammate proposes write-behind for a payments ledger to cut write latency. What is the best response?',
    options: [
      { id: 'a', text: 'Good idea: writes get faster and coalescing also takes load off the database', explanation: 'Coalescing is a benefit, but it does not make lost payments acceptable.' },
      { id: 'b', text: 'No: a crash before the flush loses acknowledged payments; commit before the ack', explanation: 'Correct. Loss-intolerant data needs every ack backed by a database commit: write-through, or a database write that invalidates the cache. A durable log would stop the loss, but the database would still lag the cache until each flush, and a balance check must read the database.' },
      { id: 'c', text: 'No: write-behind makes every write wait for the flush, so payments get slower', explanation: 'Refusing is right, but not for this reason: a write-behind write is the fast one, acknowledged after the cache alone. The danger is what a crash before the flush loses.' },
    ],
    correct: 'b',
  },
  {
    id: 'wa-first-read',
    claim: 'C12',
    style: 'scenario',
    prompt: 'Under write-around, a client writes `report:3` and then reads it twice. What happens?',
    options: [
      { id: 'a', text: 'Both reads hit the cache, since the write stored the new value there', explanation: 'The write dropped any cached copy and put nothing in the cache, so the first read cannot hit.' },
      { id: 'b', text: 'The first read misses and loads the row; the second read hits', explanation: 'Correct. Write-around fills the cache only on a read miss.' },
      { id: 'c', text: 'Both reads miss, because write-around keeps the key out of the cache', explanation: 'The first miss loads the row into the cache, so the second read hits.' },
      { id: 'd', text: 'The first read returns the value from before the write', explanation: 'The write invalidates any cached copy, so the miss loads the new row.' },
    ],
    correct: 'b',
  },
  {
    id: 'wa-logs',
    claim: 'C13',
    style: 'choose',
    prompt: 'A service ingests millions of log records a day, and fewer than 1% are ever read back. Which write strategy keeps the cache useful?',
    options: [
      { id: 'a', text: 'Write-through', explanation: 'It would cache every record, filling memory with entries nobody reads.' },
      { id: 'b', text: 'Write-around', explanation: 'Correct. Only the records somebody reads get cached, so the cache holds what is actually used.' },
      { id: 'c', text: 'Write-behind', explanation: 'It also caches every write, and it can lose records in a crash.' },
    ],
    correct: 'b',
  },
  {
    id: 'ca-race',
    claim: 'C14',
    style: 'scenario',
    prompt: 'Cache-aside: reader R misses on `user:5` and fetches the row (name "Ann"). Before R stores it, writer W updates the row to "Anna" and deletes the cache entry. Then R stores what it fetched. What is true now?',
    options: [
      { id: 'a', text: 'The cache serves "Ann" until the TTL or a later invalidation', explanation: 'Correct. R put an old row back after W\'s invalidation: a stale entry, bounded by the TTL.' },
      { id: 'b', text: 'The cache serves "Anna", as W\'s update came after R\'s read', explanation: 'The cache holds whatever was stored last, and R stored after W invalidated.' },
      { id: 'c', text: 'The rename to "Anna" is lost: R\'s store overwrote it', explanation: 'The database was written first and still holds "Anna"; cache-aside loses no data.' },
      { id: 'd', text: 'R\'s store is rejected, because W deleted the key first', explanation: 'Storing into a deleted key simply creates it again.' },
    ],
    correct: 'a',
  },
  {
    id: 'ca-summary',
    claim: 'C14',
    style: 'definition',
    prompt: 'Which statement about cache-aside is correct?',
    options: [
      { id: 'a', text: 'Writes go to the database and invalidate the cache, so a cache crash loses no data', explanation: 'Correct. The database is always written first, and the cache only holds copies.' },
      { id: 'b', text: 'Writes are acknowledged from the cache and flushed to the database later, in batches', explanation: 'That is write-behind.' },
      { id: 'c', text: 'Reads are always fresh, because every write updates the cache and the database together', explanation: 'That describes write-through (fresh through the cache that took the write); cache-aside is only eventually consistent.' },
    ],
    correct: 'a',
  },
  {
    id: 'hybrid',
    claim: 'C15',
    style: 'scenario',
    prompt: 'A system writes through and reads aside. Key A was just written through it; key B was put in the database by a batch job and never written through the cache. What happens on the first read of each?',
    options: [
      { id: 'a', text: 'A hits; B misses, is loaded from the database and then cached', explanation: 'Correct. Writes keep written keys fresh; the cache-aside read path covers everything else.' },
      { id: 'b', text: 'Both miss, because the first read of a key always goes to the database', explanation: 'A was put in the cache by the write-through write.' },
      { id: 'c', text: 'A hits; B is reported as not found, since the cache has no copy', explanation: 'The cache-aside read loads B from the database on the miss.' },
      { id: 'd', text: 'A misses, since writes skip the cache; B hits from the batch job\'s load', explanation: 'It is the other way round: only A has been cached yet.' },
    ],
    correct: 'a',
  },
  {
    id: 'wt-rollback',
    claim: 'C16',
    style: 'scenario',
    prompt: 'A write-through write has updated the cache when the database rejects it (a constraint violation). How should it end?',
    options: [
      { id: 'a', text: 'The caller gets an error, and both stores keep the old value', explanation: 'Correct. Both succeed or neither does: the cache update is rolled back with the transaction. (A reader that hit the cache during the write may have glimpsed the new value before the rollback.)' },
      { id: 'b', text: 'The caller gets an ack, and the database write is retried in the background', explanation: 'Acking before the database confirms is write-behind, and this write may never succeed.' },
      { id: 'c', text: 'The caller gets an error, but the cache keeps the new value until its TTL', explanation: 'Readers would see a value the database never accepted; the cache must be rolled back.' },
      { id: 'd', text: 'The caller gets an ack, because the cache write itself succeeded', explanation: 'Write-through promises both stores; half a write is not a success.' },
    ],
    correct: 'a',
  },
  {
    id: 'wt-dirty-read',
    claim: 'C16',
    style: 'scenario',
    prompt:
      'Write-through: a write has set the new value in the cache and waits for its database commit when a second client ' +
      'reads the key through that cache. The commit then fails and the cache entry is rolled back. What did the reader get?',
    options: [
      { id: 'a', text: 'The new value, which no store keeps once the write settles (a dirty read)', explanation: 'Correct. Both-or-neither is about what the stores end with. Between the cache update and the commit, a read through the cache sees the write in progress; example x14 runs it and counts it in dirtyReads.' },
      { id: 'b', text: 'The old value, since write-through keeps a write out of sight until its database commit is confirmed', explanation: 'The cache is updated first and serves the entry at once; nothing hides it until the commit.' },
      { id: 'c', text: 'An error, because the write it overlapped with failed', explanation: 'The read succeeded: the cache had the entry. Only the writer is told about the failed commit.' },
      { id: 'd', text: 'The old value, counted as a stale read', explanation: 'A stale read returns something older than an acknowledged write. Nothing newer was acknowledged here, and the reader got the newer value.' },
    ],
    correct: 'a',
  },
  {
    id: 'cmp-loss',
    claim: 'C17',
    style: 'definition',
    prompt: 'In the comparison table, which strategy is the only one that can lose acknowledged writes?',
    options: [
      { id: 'a', text: 'Write-through', explanation: 'It acknowledges after the database confirms, so nothing acknowledged is lost.' },
      { id: 'b', text: 'Write-behind', explanation: 'Correct. Writes acknowledged before the flush are lost if the cache crashes.' },
      { id: 'c', text: 'Write-around', explanation: 'It writes the database before acknowledging; nothing is at risk.' },
      { id: 'd', text: 'Cache-aside', explanation: 'It also writes the database first; a crash only loses cached copies.' },
    ],
    correct: 'b',
  },
  {
    id: 'cmp-latency',
    claim: 'C17',
    style: 'definition',
    prompt: 'Which strategy has the highest write latency in the comparison table, and why?',
    options: [
      { id: 'a', text: 'Write-through: it waits for the cache, then for the database', explanation: 'Correct. Two sequential round trips make it the slowest writer.' },
      { id: 'b', text: 'Write-around: it waits for the database, which is slower than the cache', explanation: 'Write-around waits for the database only once; write-through waits for it too, plus the cache.' },
      { id: 'c', text: 'Write-behind: the caller waits until the next flush has run', explanation: 'The caller never waits for the flush; write-behind has the lowest write latency.' },
      { id: 'd', text: 'Cache-aside: each write also reads the row back to refill the cache', explanation: 'A cache-aside write refills nothing: it writes the database and deletes the cached copy, and the next read loads the row. The table rates its write latency Low.' },
    ],
    correct: 'a',
  },
  {
    id: 'counters-crash',
    claim: 'C18',
    style: 'scenario',
    prompt: 'Page views are incremented in the cache (`INCR views:home`) and a job flushes them every 60\u00a0s. 1,200 views arrive in the 45\u00a0s after a flush, then the cache crashes. How many views never reach the database?',
    options: [
      { id: 'a', text: 'None: the cache acknowledged every increment', explanation: 'The increments lived only in the cache, which crashed before the next flush.' },
      { id: 'b', text: 'All 1,200 counted since the last flush', explanation: 'Correct. Every increment since the last flush is lost with the cache.' },
      { id: 'c', text: 'One, since coalescing turned them into a single write', explanation: 'Coalescing sums the increments into one pending write of +1,200, and that whole write is lost.' },
      { id: 'd', text: '600, since the crash came before the flush was due', explanation: 'Timing inside the window does not matter: everything since the last flush is gone.' },
    ],
    correct: 'b',
  },
];

export function findQuestion(id: string): QuizQuestion | undefined {
  return QUIZ_BANK.find((q) => q.id === id);
}

// ---------------------------------------------------------------------------------------------------------------------
// Engine-computed questions

/** How a generator may choose one placeholder's value. */
export type TemplateParamSpec =
  | { kind: 'int'; min: number; max: number }
  | { kind: 'choice'; choices: readonly (string | number)[] };

/**
 * A question whose answer the engine computes: fill the placeholders, run the scenario text, read `answerMetric`.
 * Placeholders are `{name}`. In `scenario`, a line `@repeat {n} STATEMENT` expands to n copies of STATEMENT, where
 * `{i}` counts 1..n; `i` is therefore reserved.
 */
export interface ScenarioQuestionTemplate {
  id: string;
  claim: ClaimId;
  /** Question text with `{placeholders}`. */
  prompt: string;
  /** `.cachescenario` text with `{placeholders}` and optional `@repeat` lines. */
  scenario: string;
  /** Metric holding the answer (a name accepted by `metricValue`, e.g. `lostWrites` or `writeLatencyMs.max`). */
  answerMetric: string;
  /** Every placeholder the template uses, with the values a generator may pick. */
  params: Record<string, TemplateParamSpec>;
}

export const SCENARIO_QUESTION_TEMPLATES: readonly ScenarioQuestionTemplate[] = [
  {
    id: 't-wb-crash-lost',
    claim: 'C8',
    prompt:
      'Write-behind with a {flush}\u00a0s flush interval: the app writes key {key} {n} times, and {t}\u00a0s later the cache crashes, ' +
      'before any flush has run. How many acknowledged writes are lost?',
    scenario: [
      'strategy write-behind',
      'set writeBehind.flushInterval {flush}s',
      '@repeat {n} write {key} {i}',
      'advance {t}s',
      'crash cache',
      'advance 2m',
    ].join('\n'),
    answerMetric: 'lostWrites',
    params: {
      flush: { kind: 'choice', choices: [30, 60] },
      n: { kind: 'int', min: 2, max: 9 },
      t: { kind: 'int', min: 1, max: 25 },
      key: { kind: 'choice', choices: ['cart:7', 'score:42', 'views:home'] },
    },
  },
  {
    id: 't-wb-coalesce-dbwrites',
    claim: 'C7',
    prompt:
      'Write-behind with coalescing on and a {flush}\u00a0s flush interval: the app writes key {key} {n} times within one ' +
      'flush window, then waits for the flush. How many row writes does the database apply?',
    scenario: [
      'strategy write-behind',
      'set writeBehind.flushInterval {flush}s',
      'set writeBehind.coalescing on',
      '@repeat {n} write {key} {i}',
      'advance 2m',
    ].join('\n'),
    answerMetric: 'dbWrites',
    params: {
      flush: { kind: 'choice', choices: [5, 10, 30] },
      n: { kind: 'int', min: 3, max: 12 },
      key: { kind: 'choice', choices: ['temp:7', 'player:3', 'page:home'] },
    },
  },
  {
    id: 't-wt-latency',
    claim: 'C3',
    prompt:
      'Write-through, where a cache round trip takes {cache}\u00a0ms and a database round trip {db}\u00a0ms: how many milliseconds ' +
      'does one write to {key} take?',
    scenario: [
      'strategy write-through',
      'set cache.latency {cache}ms',
      'set db.latency {db}ms',
      'write {key} 1',
    ].join('\n'),
    answerMetric: 'writeLatencyMs.max',
    params: {
      cache: { kind: 'int', min: 1, max: 5 },
      db: { kind: 'choice', choices: [8, 10, 20, 40] },
      key: { kind: 'choice', choices: ['session:9', 'profile:12', 'board:top'] },
    },
  },
  {
    id: 't-wb-latency',
    claim: 'C6',
    prompt:
      'Write-behind, where a cache round trip takes {cache}\u00a0ms, a database round trip {db}\u00a0ms and the queue flushes every ' +
      '{flush}\u00a0s: how many milliseconds pass between the app writing {key} and its acknowledgement?',
    scenario: [
      'strategy write-behind',
      'set cache.latency {cache}ms',
      'set db.latency {db}ms',
      'set writeBehind.flushInterval {flush}s',
      'write {key} 1',
      'advance 2m',
    ].join('\n'),
    answerMetric: 'writeLatencyMs.max',
    params: {
      cache: { kind: 'int', min: 1, max: 6 },
      db: { kind: 'choice', choices: [8, 12, 20, 30] },
      flush: { kind: 'choice', choices: [1, 5, 10] },
      key: { kind: 'choice', choices: ['like:81', 'sensor:4', 'cart:19'] },
    },
  },
  {
    id: 't-wa-read-after-write',
    claim: 'C12',
    prompt:
      'Write-around, where a cache round trip takes {cache}\u00a0ms, a database round trip {db}\u00a0ms, and the cache node loads a ' +
      'miss from the database itself: the app writes {key}, and once the write is acknowledged it reads {key}. How many ' +
      'milliseconds does that read take?',
    scenario: ['strategy write-around', 'set cache.latency {cache}ms', 'set db.latency {db}ms', 'write {key} 1', 'read {key}'].join('\n'),
    answerMetric: 'readLatencyMs.max',
    params: {
      cache: { kind: 'int', min: 1, max: 5 },
      db: { kind: 'choice', choices: [10, 15, 25, 40] },
      key: { kind: 'choice', choices: ['report:3', 'invoice:77', 'log:day'] },
    },
  },
  {
    id: 't-counter-crash',
    claim: 'C18',
    prompt:
      'A write-behind counter flushed every {flush}\u00a0s: the app increments {key} {n1} times, the flush persists them, then ' +
      'it increments {key} {n2} more times, and {t}\u00a0s later the cache crashes before the next flush. How many ' +
      'acknowledged increments are lost?',
    scenario: [
      'strategy write-behind',
      'set writeBehind.flushInterval {flush}s',
      '@repeat {n1} incr {key}',
      'advance {flush}s',
      'advance 1s',
      '@repeat {n2} incr {key}',
      'advance {t}s',
      'crash cache',
      'advance 5m',
    ].join('\n'),
    answerMetric: 'lostWrites',
    params: {
      flush: { kind: 'choice', choices: [30, 60] },
      n1: { kind: 'int', min: 2, max: 8 },
      n2: { kind: 'int', min: 2, max: 8 },
      t: { kind: 'int', min: 1, max: 25 },
      key: { kind: 'choice', choices: ['views:home', 'clicks:ad7', 'plays:song9'] },
    },
  },
];

export type TemplateParams = Record<string, string | number>;

const PLACEHOLDER = /\{([A-Za-z_]\w*)\}/g;
const REPEAT_LINE = /^@repeat\s+(\S+)\s+(.+)$/;
/** Guard against a runaway count producing a huge scenario. */
const MAX_REPEAT = 1000;

function fill(text: string, params: TemplateParams, extra: TemplateParams = {}): string {
  return text.replace(PLACEHOLDER, (_match, name: string) => {
    const v = extra[name] ?? params[name];
    if (v === undefined) throw new Error(`template placeholder {${name}} has no value`);
    return String(v);
  });
}

/** Fills a template's placeholders and expands its `@repeat` lines. Throws on a missing parameter or a bad count. */
export function instantiateTemplate(
  t: ScenarioQuestionTemplate,
  params: TemplateParams,
): { prompt: string; scenarioText: string } {
  const lines: string[] = [];
  for (const line of t.scenario.split('\n')) {
    const m = REPEAT_LINE.exec(line.trim());
    if (!m) {
      lines.push(fill(line, params));
      continue;
    }
    const count = Number(fill(m[1] ?? '', params));
    if (!Number.isInteger(count) || count < 0 || count > MAX_REPEAT) {
      throw new Error(`@repeat count must be an integer in 0..${MAX_REPEAT}, got ${m[1] ?? ''}`);
    }
    for (let i = 1; i <= count; i++) lines.push(fill(m[2] ?? '', params, { i }));
  }
  return { prompt: fill(t.prompt, params), scenarioText: lines.join('\n') };
}

/** Picks a value for every declared parameter with the given random source (deterministic for a seeded one). */
export function drawTemplateParams(t: ScenarioQuestionTemplate, rng: () => number): TemplateParams {
  const pick = (n: number): number => {
    const r = rng();
    return Number.isFinite(r) ? Math.min(n - 1, Math.max(0, Math.floor(r * n))) : 0;
  };
  const out: TemplateParams = {};
  for (const [name, spec] of Object.entries(t.params)) {
    if (spec.kind === 'int') out[name] = spec.min + pick(spec.max - spec.min + 1);
    else out[name] = spec.choices[pick(spec.choices.length)] ?? '';
  }
  return out;
}
