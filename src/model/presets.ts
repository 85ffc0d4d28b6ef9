// Product presets: write-behind settings taken from each product's documented defaults (or, where a default means
// write-through, a common write-behind setting), so a learner can run
// "what Ignite would do" (sources: ../shared/reference/write-behind-in-production.md, as summarised in README).
import type { WriteBehindOptions } from './types';

export interface Preset {
  name: string;
  product: string;
  /** What the preset sets, and which documented knob each value comes from. */
  summary: string;
  writeBehind: Partial<WriteBehindOptions>;
  /**
   * A queue bound the product enforces only with coalescing off (Hazelcast's per-member capacity): applied when the
   * run's coalescing ends up off and no `set writeBehind.maxQueue` line says otherwise.
   */
  capWithoutCoalescing?: number;
}

export const PRESETS: readonly Preset[] = [
  {
    name: 'hazelcast',
    product: 'Hazelcast MapStore',
    summary:
      'write-batch-size 1, write-coalescing true, pending entries also held on a backup member; write-delay-seconds 1 (its default 0 means write-through, so the smallest write-behind delay is used); failed stores retried every second, without backoff (Hazelcast tries a failed store 3 times, 1 s apart, then re-queues it for the next write-delay cycle, and gives up only after days, so there is no limit here); a per-member queue capacity of 50,000 pending entries, whose puts fail once it is full, is enforced only with coalescing off: unbounded as the preset stands, bounded at 50,000 (rejecting) under `set writeBehind.coalescing off`; a member shutting down does not wait for its pending entries (shutdown timeout 0), which the backup member goes on flushing. A load of a key whose write is still pending is answered from the staging area, not the database (loadFromQueue). Each entry is stored no earlier than the delay after it was first queued (a later write to the key keeps that time), at the store worker\'s next run: it runs every second and takes the entries whose time is up to a cutoff it moves on once per delay, modelled as a 1 s flush interval with a 1 s write delay (for a write-delay-seconds of N, set both to Ns).',
    writeBehind: { flushIntervalMs: 1000, writeDelayMs: 1000, batchSize: 1, coalescing: true, backup: true, wal: false, maxQueue: null, whenFull: 'reject', requeueLimit: null, retryDelayMs: 1000, retryBackoff: 1, shutdownTimeoutMs: 0, loadFromQueue: true },
    capWithoutCoalescing: 50_000,
  },
  {
    name: 'ignite',
    product: 'Apache Ignite',
    summary:
      'writeBehindFlushFrequency 5000 ms, writeBehindBatchSize 512, writeBehindCoalescing true, writeBehindFlushSize 10240 (a longer buffer wakes the flusher at once); at 1.5x that (15,360 pending, its critical size) the writing thread stores one pending entry itself before going on; failed entries stay in the buffer for the next flush (every 5 s, no backoff; Ignite drops them instead while the buffer is over its critical size, which the simulator does not model: it never loses a write without a crash); buffer in memory only; a load of a key still in the buffer is answered from it, not the database (loadFromQueue).',
    writeBehind: { flushIntervalMs: 5000, batchSize: 512, flushSize: 10_240, coalescing: true, maxQueue: 15_360, whenFull: 'flush', wal: false, backup: false, requeueLimit: null, retryDelayMs: 5000, retryBackoff: 1, loadFromQueue: true },
  },
  {
    name: 'coherence',
    product: 'Oracle Coherence',
    summary:
      'write-delay 10s (its default 0 means write-through; 10s is a common setting), write-max-batch-size 128, updates to a key collapse into one write, pending changes backed up on another server, write-requeue-threshold 0 (no requeue: a failed write is dropped to the dead letters; with requeues allowed, they wait for the next write-delay, 10 s, no backoff; Coherence\'s threshold is a queue size, not a count of retries, so only its 0 maps onto requeueLimit). Each entry is stored once it has waited the delay since it was first queued (a later update keeps that time): the write-behind thread takes entries as they ripen, modelled as a 10 s write delay with a flush interval of 0.',
    writeBehind: { flushIntervalMs: 0, writeDelayMs: 10_000, batchSize: 128, coalescing: true, backup: true, wal: false, requeueLimit: 0, maxQueue: null, retryDelayMs: 10_000, retryBackoff: 1 },
  },
  {
    name: 'ehcache',
    product: 'Ehcache 2 write-behind',
    summary:
      'minWriteDelay 1s (its processing thread runs at least 1s apart: the flush interval), writeBatching off (writeBatchSize 1; maxWriteDelay, 1s, only matters with batching), writeCoalescing off, retryAttempts 1 with retryAttemptDelaySeconds 1, writeBehindMaxQueueSize 0 (unbounded; a bounded full queue blocks the put). Ehcache 2\'s single writer thread sleeps through the retry delay, so nothing else is written meanwhile: modelled as strict order (a failed entry holds back the whole queue until its retry).',
    writeBehind: { flushIntervalMs: 1000, batchSize: 1, coalescing: false, maxQueue: null, whenFull: 'block', requeueLimit: 1, retryDelayMs: 1000, retryBackoff: 1, wal: false, backup: false, order: 'strict' },
  },
  {
    name: 'rgsync',
    product: 'Redis rgsync (RedisGears)',
    summary:
      'batch 100, duration 100 ms, onFailedRetryInterval 5 s; changes captured in order into a Redis Stream, durable with AOF (modelled as the write-ahead log, which loses nothing: AOF with an fsync on every write; Redis ships with AOF off, and its usual fsync every second can lose about a second of changes); a failed batch is retried without limit before anything after it is written (strict order).',
    writeBehind: { flushIntervalMs: 100, batchSize: 100, coalescing: false, wal: true, backup: false, retryDelayMs: 5000, retryBackoff: 1, requeueLimit: null, maxQueue: null, order: 'strict' },
  },
  {
    name: 'rdi',
    product: 'Redis Data Integration write-behind',
    summary:
      'write_batch_size 200, duration 100 ms, on_failed_retry_interval 5 s, dedup off (the defaults); changes captured into a Redis Stream (modelled as the write-ahead log); error_handling set to dlq, the dead-letter queue, after one retry (the number of retries is the simulator\'s choice; its other choice, and its default, ignore, skips the change: the simulator keeps the skipped change where a learner can see it); the stream is read in order, so a failed batch holds back what follows it (strict order).',
    writeBehind: { flushIntervalMs: 100, batchSize: 200, coalescing: false, wal: true, backup: false, retryDelayMs: 5000, retryBackoff: 1, requeueLimit: 1, maxQueue: null, order: 'strict' },
  },
];

export const PRESET_NAMES = PRESETS.map((p) => p.name);

/**
 * The queue bound a preset gives a run whose coalescing ends up `coalescing` (Hazelcast's capacity applies only
 * without it); undefined when the preset leaves `maxQueue` at the engine's default.
 */
export function presetMaxQueue(p: Preset, coalescing: boolean): number | null | undefined {
  return !coalescing && p.capWithoutCoalescing !== undefined ? p.capWithoutCoalescing : p.writeBehind.maxQueue;
}

export function findPreset(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name);
}
