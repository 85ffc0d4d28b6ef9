// One cache node: lru-cache underneath, with TTL on the engine's virtual clock and evictions observed through
// `dispose`. It also keeps the bookkeeping for cache pollution (entries a write created that no read ever used).
import { LRUCache } from 'lru-cache';
import { copyStamp } from './types';
import type { Json, WriteStamp } from './types';

/** The stamp of the write behind the value is the entry's own fields (id, issueSeq, ackSeq): copied, not shared. */
export interface CacheEntry extends WriteStamp {
  value: Json;
  /** Created by a write (not by a read's fill) and not read since: counts as pollution if it leaves unread. */
  unreadWrite: boolean;
  /** The mirror holding this entry while it is in the cache (null: not mirrored). */
  mirror: EntryMirror | null;
}

/**
 * Where a caller keeps a key's entry in this node, so asking whether the key is cached needs no lru-cache call. The
 * node keeps it exact: set when the entry is added, cleared when it leaves for any reason (eviction, deletion,
 * crash). Only nodes without TTL use mirrors: lru-cache expires entries lazily, so an expired entry would still look
 * present.
 */
export interface EntryMirror {
  cached: CacheEntry | undefined;
}

export type LeaveReason = 'evict' | 'expire' | 'delete' | 'crash';

export interface CacheNodeHooks {
  /** Called when an entry leaves the cache for any reason but being overwritten. */
  onLeave(node: CacheNode, key: string, entry: CacheEntry, reason: LeaveReason): void;
}

/**
 * Options for the hot lru-cache calls: one shared empty object, so no call allocates its own default `{}`. lru-cache
 * only writes `status: undefined` into it (no status tracking asked for) and keeps nothing of it.
 */
const CALL = {};

export class CacheNode {
  readonly name: string;
  up = true;
  /** Bumped on every crash so callbacks scheduled before it can tell they are stale. */
  incarnation = 0;
  /**
   * The node last went down through a graceful shutdown (`stop`), not a crash; kept after a restart, so a note about
   * something that outlived the node's last process can still say how it ended. Only the trace's wording reads it:
   * the memory goes either way, and what a shutdown saves is its write-behind queue's chance to drain (the engine's).
   */
  stopped = false;
  private readonly lru: LRUCache<string, CacheEntry>;
  private crashing = false;
  /**
   * The key lru-cache is disposing of right now: it calls `dispose` before it drops the entry, so a snapshot taken by
   * the hook (the `cache.evict` step's) would still list it.
   */
  private leaving: string | undefined;
  /** No TTL: an entry leaves only through `dispose`, so mirrors are exact (see EntryMirror). */
  private readonly mirrored: boolean;

  constructor(
    readonly index: number,
    capacity: number,
    ttlMs: number | null,
    clock: { now(): number },
    private readonly hooks: CacheNodeHooks,
  ) {
    this.name = `node${index}`;
    this.mirrored = !(ttlMs !== null && ttlMs > 0);
    // lru-cache reads a start time of 0 as "no TTL", so an entry stored at virtual time 0 would never expire: its
    // clock runs 1 ms ahead of the engine's (ages and remaining TTLs are differences, so they are unchanged).
    const perf = { now: (): number => clock.now() + 1 };
    this.lru = new LRUCache<string, CacheEntry>({
      max: capacity,
      ...(ttlMs !== null && ttlMs > 0 ? { ttl: ttlMs, ttlResolution: 0, ttlAutopurge: false, perf, updateAgeOnGet: false } : {}),
      dispose: (entry, key, reason) => {
        if (reason === 'set') return; // overwritten: the entry lives on under the new value
        const m = entry.mirror;
        if (m !== null && m.cached === entry) m.cached = undefined;
        const why: LeaveReason = this.crashing ? 'crash' : reason === 'evict' ? 'evict' : reason === 'expire' ? 'expire' : 'delete';
        this.leaving = key;
        try {
          this.hooks.onLeave(this, key, entry, why);
        } finally {
          this.leaving = undefined;
        }
      },
    });
  }

  get size(): number {
    return this.lru.size;
  }

  /** The caller passed a mirror and this node keeps mirrors exact (no TTL): presence is read from the mirror. */
  private uses(mirror: EntryMirror | null): mirror is EntryMirror {
    return mirror !== null && this.mirrored;
  }

  /** A lookup that counts as use (updates recency, expires stale entries). */
  get(key: string, mirror: EntryMirror | null = null): CacheEntry | undefined {
    // A mirrored key known absent costs no lookup.
    if (this.uses(mirror) && mirror.cached === undefined) return undefined;
    const e = this.lru.get(key, CALL);
    if (e) e.unreadWrite = false;
    return e;
  }

  /** Look without touching recency or the pollution mark (for the debugger and expectations). */
  peek(key: string, mirror: EntryMirror | null = null): CacheEntry | undefined {
    return this.uses(mirror) ? mirror.cached : this.lru.peek(key, CALL);
  }

  has(key: string, mirror: EntryMirror | null = null): boolean {
    return this.uses(mirror) ? mirror.cached !== undefined : this.lru.has(key, CALL);
  }

  /** Store a value. A write keeps an unread mark alive; a read's fill clears it. */
  set(key: string, value: Json, w: WriteStamp, byWrite: boolean, mirror: EntryMirror | null = null): void {
    const prev = this.peek(key, mirror);
    if (prev !== undefined) this.overwrite(key, prev, value, w, byWrite);
    else this.add(key, value, w, byWrite, mirror);
  }

  /** `set` for a key the caller has just found absent (`has`/`peek` in this same instant). */
  add(key: string, value: Json, w: WriteStamp, byWrite: boolean, mirror: EntryMirror | null = null): void {
    this.put(key, { value, id: w.id, issueSeq: w.issueSeq, ackSeq: w.ackSeq, commitSeq: w.commitSeq, unreadWrite: byWrite, mirror: null }, mirror);
  }

  /** `set` for a key whose entry the caller has just peeked (`prev`, in this same instant). */
  overwrite(key: string, prev: CacheEntry, value: Json, w: WriteStamp, byWrite: boolean): void {
    // In place (lru-cache sees the same object: no dispose, recency and TTL renewed). One lifetime per entry:
    // overwriting keeps its mark, so an entry read once is never counted as pollution.
    prev.value = value;
    copyStamp(prev, w);
    if (!byWrite) prev.unreadWrite = false;
    this.lru.set(key, prev, CALL);
  }

  /** Put back an exact earlier entry (write-through rollback). */
  restore(key: string, entry: { value: Json; w: WriteStamp; unreadWrite: boolean } | undefined, mirror: EntryMirror | null = null): void {
    if (entry) this.put(key, { value: entry.value, id: entry.w.id, issueSeq: entry.w.issueSeq, ackSeq: entry.w.ackSeq, commitSeq: entry.w.commitSeq, unreadWrite: entry.unreadWrite, mirror: null }, mirror);
    else this.lru.delete(key);
  }

  /** Store a new entry object (a replaced one leaves with reason 'set', which keeps its mirror) and mirror it. */
  private put(key: string, entry: CacheEntry, mirror: EntryMirror | null): void {
    this.lru.set(key, entry, CALL);
    if (this.uses(mirror)) {
      entry.mirror = mirror;
      mirror.cached = entry;
    }
  }

  delete(key: string, mirror: EntryMirror | null = null): boolean {
    if (this.uses(mirror) && mirror.cached === undefined) return false;
    return this.lru.delete(key);
  }

  remainingTtl(key: string): number | null {
    const t = this.lru.getRemainingTTL(key);
    return t === Infinity ? null : t;
  }

  /** Entries from most to least recently used. */
  entries(): [string, CacheEntry][] {
    const out: [string, CacheEntry][] = [];
    for (const [k, v] of this.lru.entries()) if (k !== this.leaving) out.push([k, v]);
    return out;
  }

  /**
   * Gone down on purpose: the node stops serving and its cache empties as in a crash, and notes say "shut down".
   * `processEnds` false: the process lives on a while (draining its write-behind queue), so the incarnation stays,
   * and work it started (a batch out to the database) is still its own; the caller bumps it when the process ends.
   */
  stop(processEnds: boolean): void {
    const incarnation = this.incarnation;
    this.crash();
    if (!processEnds) this.incarnation = incarnation;
    this.stopped = true;
  }

  /** How the node last went down, for notes: "crashed" or "shut down". */
  get downWord(): string {
    return this.stopped ? 'shut down' : 'crashed';
  }

  crash(): void {
    this.stopped = false;
    this.up = false;
    this.incarnation++;
    this.crashing = true;
    try {
      this.lru.clear();
    } finally {
      this.crashing = false;
    }
  }

  restart(): void {
    this.up = true;
  }

  /**
   * Entries still marked unread (counted as pollution at the end of a run), expired ones included: lru-cache drops an
   * expired entry only when something looks it up, and `values()` skips it, so this reads its dump, which keeps them.
   */
  unreadWrites(): number {
    let n = 0;
    for (const [, e] of this.lru.dump()) if (e.value.unreadWrite) n++;
    return n;
  }
}
