// The `set NAME VALUE` settings of the scenario language: their value types, documentation and how each
// lands in the engine's options. Completion, hover and the parser all read this one table.
import type { EngineOptions } from '../model/types';

export type SettingKind = 'duration' | 'duration-or-off' | 'count' | 'count-or-off' | 'on-off' | 'enum';

export interface SettingSpec {
  name: string;
  kind: SettingKind;
  /** For 'enum'. */
  choices?: readonly string[];
  /** Lower bound for counts, and for durations (in ms). */
  min?: number;
  /** Upper bound for counts (each cache node allocates its capacity up front, in lru-cache). */
  max?: number;
  /** A duration in whole milliseconds only (lru-cache counts TTLs in whole ms). */
  wholeMs?: boolean;
  doc: string;
  apply(o: EngineOptions, v: number | boolean | string | null): void;
}

const num = (v: number | boolean | string | null): number => (typeof v === 'number' ? v : 0);
const numOrNull = (v: number | boolean | string | null): number | null => (typeof v === 'number' ? v : null);

export const SETTINGS: readonly SettingSpec[] = [
  { name: 'cache.capacity', kind: 'count', min: 1, max: 1_000_000, doc: 'Entries each cache node holds before the least recently used one is evicted (lru-cache `max`), up to 1,000,000. Default 1000.', apply: (o, v) => { o.cache.capacity = num(v); } },
  { name: 'cache.ttl', kind: 'duration-or-off', min: 1, wholeMs: true, doc: 'Time to live of a cache entry on the virtual clock, in whole milliseconds (at least 1ms), or `off`. Default off.', apply: (o, v) => { o.cache.ttlMs = numOrNull(v); } },
  { name: 'cache.latency', kind: 'duration', doc: 'One round trip between a client and a cache node. Default 1ms.', apply: (o, v) => { o.cache.latencyMs = num(v); } },
  { name: 'cache.nodes', kind: 'count', min: 1, max: 8, doc: 'Independent cache nodes node1..N (say, one per app server), all in front of one database, up to 8. Default 1.', apply: (o, v) => { o.cache.nodes = num(v); } },
  { name: 'db.latency', kind: 'duration', doc: 'One round trip to the database. Default 10ms.', apply: (o, v) => { o.db.latencyMs = num(v); } },
  { name: 'writeBehind.flushInterval', kind: 'duration', doc: 'How often a node flushes its non-empty write-behind queue; every entry queued by then is stored. With `writeBehind.writeDelay` set, how often the flusher looks for entries whose delay is over (`0s`: as soon as one is). Default 5s.', apply: (o, v) => { o.writeBehind.flushIntervalMs = num(v); } },
  { name: 'writeBehind.writeDelay', kind: 'duration-or-off', min: 0, doc: 'Hold each queued entry at least this long before a flush may store it (Hazelcast\'s write-delay-seconds, Coherence\'s write-delay), or `off`: a flush stores every entry queued by then, however new (Ignite). A write that folds into a pending entry keeps that entry\'s time. Default off.', apply: (o, v) => { o.writeBehind.writeDelayMs = numOrNull(v); } },
  { name: 'writeBehind.batchSize', kind: 'count', min: 1, doc: 'Rows sent to the database in one round trip by a flush. Default 100.', apply: (o, v) => { o.writeBehind.batchSize = num(v); } },
  { name: 'writeBehind.flushSize', kind: 'count-or-off', min: 1, doc: 'A queue longer than this flushes at once instead of waiting for the next interval (Ignite\'s writeBehindFlushSize), or `off`. Default off.', apply: (o, v) => { o.writeBehind.flushSize = numOrNull(v); } },
  { name: 'writeBehind.coalescing', kind: 'on-off', doc: 'Keep only the newest pending value per key (a counter keeps the summed delta). Default on.', apply: (o, v) => { o.writeBehind.coalescing = v === true; } },
  { name: 'writeBehind.maxQueue', kind: 'count-or-off', min: 1, doc: 'Pending entries a node may hold before the full-queue policy applies, or `off`. Default off.', apply: (o, v) => { o.writeBehind.maxQueue = numOrNull(v); } },
  { name: 'writeBehind.whenFull', kind: 'enum', choices: ['block', 'reject', 'flush'], doc: 'What a full queue does, once `writeBehind.maxQueue` bounds it (unbounded, it never fills): `block` the writer until a flush makes room (Ehcache), `reject` the write (Hazelcast, whose cap applies only with coalescing off), or `flush`: the writer stores one pending entry itself, one database round trip, before it is acknowledged (Ignite; the simulator stores the oldest before the write goes in, Ignite puts the write in first and stores the entry its buffer yields). Default block.', apply: (o, v) => { o.writeBehind.whenFull = v as 'block'; } },
  { name: 'writeBehind.retryDelay', kind: 'duration', min: 1, max: 60_000, doc: 'Wait before retrying a failed flush, from 1ms to 60s; multiplied by retryBackoff after each further failure, up to 60s. Default 1s.', apply: (o, v) => { o.writeBehind.retryDelayMs = num(v); } },
  { name: 'writeBehind.retryBackoff', kind: 'count', min: 1, doc: 'Multiplier applied to the retry delay after each failed attempt. Default 2.', apply: (o, v) => { o.writeBehind.retryBackoff = num(v); } },
  { name: 'writeBehind.requeueLimit', kind: 'count-or-off', min: 0, doc: 'Retries of one entry before it moves to the dead-letter queue, or `off` to retry forever. Default off.', apply: (o, v) => { o.writeBehind.requeueLimit = numOrNull(v); } },
  { name: 'writeBehind.wal', kind: 'on-off', doc: 'Append each queued write to a durable log that a restart replays. Default off.', apply: (o, v) => { o.writeBehind.wal = v === true; } },
  { name: 'writeBehind.order', kind: 'enum', choices: ['per-key', 'strict'], doc: 'Order of the flushes after a failure: `per-key` holds back only later writes to the failed entry\'s key while it waits for its retry (other keys flush past it); `strict` holds back the whole queue, as a stream reader that retries its batch before reading on (rgsync, RDI). Default per-key.', apply: (o, v) => { o.writeBehind.order = v as 'strict'; } },
  { name: 'writeBehind.backup', kind: 'on-off', doc: 'Keep a copy of the pending queue on a backup member, which keeps flushing when this node crashes (Hazelcast, Coherence). The backup member is another cluster member, not one of the cache nodes, and the simulator never crashes it. Default off.', apply: (o, v) => { o.writeBehind.backup = v === true; } },
  { name: 'writeBehind.shutdownTimeout', kind: 'duration-or-off', min: 0, doc: 'How long `shutdown cache` lets a node flush its write-behind queue before it stops waiting and the writes still queued are lost (NCache waits 180s; `0s`: no wait, as a Hazelcast member), or `off` to wait until the queue is empty. A `timeout` on the shutdown line wins. Default off.', apply: (o, v) => { o.writeBehind.shutdownTimeoutMs = numOrNull(v); } },
  { name: 'writeBehind.loadFromQueue', kind: 'on-off', doc: 'A read that misses on a key whose write is still waiting in the node\'s queue (or out with a flush) gets that write\'s value from the queue, not the database\'s older row, and the node keeps it (Hazelcast\'s staging area, Ignite\'s write-behind buffer; increments alone are added to the loaded row). Off: the miss loads the row and serves it stale until the flush, as Ehcache does. Default off.', apply: (o, v) => { o.writeBehind.loadFromQueue = v === true; } },
  { name: 'writeBehind.delivery', kind: 'enum', choices: ['at-least-once', 'exactly-once'], doc: 'What happens to a batch the database committed but whose reply was lost (`fail db next N replies`): the flusher cannot tell it landed and sends it again. `at-least-once` applies it twice: harmless for a plain write (the same final value), but an increment counts twice (Hazelcast, rgsync by default). `exactly-once`: the database keeps a table of the write ids it has applied, in the same transaction, and skips the ones it already has (rgsync with its ids table). Default at-least-once.', apply: (o, v) => { o.writeBehind.delivery = v === 'exactly-once' ? 'exactly-once' : 'at-least-once'; } },
];

/** `client.NAME.delay`: extra delay a named client adds before each of its hops. Matched by pattern, not listed above. */
export const CLIENT_DELAY_PATTERN = /^client\.([A-Za-z_][\w-]*)\.delay$/;

export function findSetting(name: string): SettingSpec | undefined {
  return SETTINGS.find((s) => s.name === name);
}
