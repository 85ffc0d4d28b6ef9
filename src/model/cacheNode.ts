// One cache node: lru-cache underneath, with TTL on the engine's virtual clock and evictions observed through
// `dispose`. It also keeps the bookkeeping for cache pollution (entries a write created that no read ever used).
import { LRUCache } from 'lru-cache';
import type { Json, WriteRecord } from './types';

export interface CacheEntry {
  value: Json;
  rec: WriteRecord;
  /** Created by a write (not by a read's fill) and not read since: counts as pollution if it leaves unread. */
  unreadWrite: boolean;
}

export type LeaveReason = 'evict' | 'expire' | 'delete' | 'crash';

export interface CacheNodeHooks {
  /** Called when an entry leaves the cache for any reason but being overwritten. */
  onLeave(node: CacheNode, key: string, entry: CacheEntry, reason: LeaveReason): void;
}

export class CacheNode {
  readonly name: string;
  up = true;
  /** Bumped on every crash so callbacks scheduled before it can tell they are stale. */
  incarnation = 0;
  private readonly lru: LRUCache<string, CacheEntry>;
  private crashing = false;

  constructor(
    readonly index: number,
    capacity: number,
    ttlMs: number | null,
    clock: { now(): number },
    private readonly hooks: CacheNodeHooks,
  ) {
    this.name = `node${index}`;
    this.lru = new LRUCache<string, CacheEntry>({
      max: capacity,
      ...(ttlMs !== null && ttlMs > 0 ? { ttl: ttlMs, ttlResolution: 0, ttlAutopurge: false, perf: clock, updateAgeOnGet: false } : {}),
      dispose: (entry, key, reason) => {
        if (reason === 'set') return; // overwritten: the entry lives on under the new value
        const why: LeaveReason = this.crashing ? 'crash' : reason === 'evict' ? 'evict' : reason === 'expire' ? 'expire' : 'delete';
        this.hooks.onLeave(this, key, entry, why);
      },
    });
  }

  get size(): number {
    return this.lru.size;
  }

  /** A lookup that counts as use (updates recency, expires stale entries). */
  get(key: string): CacheEntry | undefined {
    const e = this.lru.get(key);
    if (e) e.unreadWrite = false;
    return e;
  }

  /** Look without touching recency or the pollution mark (for the debugger and expectations). */
  peek(key: string): CacheEntry | undefined {
    return this.lru.peek(key);
  }

  has(key: string): boolean {
    return this.lru.has(key);
  }

  /** Store a value. A write keeps an unread mark alive; a read's fill clears it. */
  set(key: string, value: Json, rec: WriteRecord, byWrite: boolean): void {
    const prev = this.lru.peek(key);
    if (prev !== undefined) this.overwrite(key, prev, value, rec, byWrite);
    else this.add(key, value, rec, byWrite);
  }

  /** `set` for a key the caller has just found absent (`has`/`peek` in this same instant). */
  add(key: string, value: Json, rec: WriteRecord, byWrite: boolean): void {
    this.lru.set(key, { value, rec, unreadWrite: byWrite });
  }

  /** `set` for a key whose entry the caller has just peeked (`prev`, in this same instant). */
  overwrite(key: string, prev: CacheEntry, value: Json, rec: WriteRecord, byWrite: boolean): void {
    // In place (lru-cache sees the same object: no dispose, recency and TTL renewed). One lifetime per entry:
    // overwriting keeps its mark, so an entry read once is never counted as pollution.
    prev.value = value;
    prev.rec = rec;
    if (!byWrite) prev.unreadWrite = false;
    this.lru.set(key, prev);
  }

  /** Put back an exact earlier entry (write-through rollback). */
  restore(key: string, entry: CacheEntry | undefined): void {
    if (entry) this.lru.set(key, { ...entry });
    else this.lru.delete(key);
  }

  delete(key: string): boolean {
    return this.lru.delete(key);
  }

  remainingTtl(key: string): number | null {
    const t = this.lru.getRemainingTTL(key);
    return t === Infinity ? null : t;
  }

  /** Entries from most to least recently used. */
  entries(): [string, CacheEntry][] {
    const out: [string, CacheEntry][] = [];
    for (const [k, v] of this.lru.entries()) out.push([k, v]);
    return out;
  }

  crash(): void {
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

  /** Entries still marked unread (counted as pollution at the end of a run). */
  unreadWrites(): number {
    let n = 0;
    for (const v of this.lru.values()) if (v.unreadWrite) n++;
    return n;
  }
}
