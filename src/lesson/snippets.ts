// Reference code for each write strategy, in Python and TypeScript, shown beside the lesson's diagrams.
// Each snippet is self-contained (its own Cache/Database interfaces) and names the bundled scenario that runs the same idea.
import type { Strategy } from '../model/types';

export type SnippetLanguage = 'python' | 'typescript';

export interface Snippet {
  strategy: Strategy;
  language: SnippetLanguage;
  title: string;
  code: string;
  /** Bundled scenario file (`scenarios/<name>`) whose run shows what this code does, failure path included. */
  scenario: string;
}

const WRITE_THROUGH_TS = `// Write-through: the caller hears "saved" only after the cache and the database both hold the new price.
export interface Cache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
}
export interface Tx {
  execute(sql: string, params: unknown[]): Promise<void>;
}
export interface Database {
  /** Commits when \`work\` resolves; rolls back and rethrows when it rejects. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
}

export async function savePrice(db: Database, cache: Cache, sku: string, price: number): Promise<void> {
  const key = \`price:\${sku}\`;
  let undone = false;
  try {
    await db.transaction(async (tx) => {
      // Lock the sku first: concurrent writers then reach the cache and the row in one order. Held until commit or
      // rollback; a row lock (SELECT ... FOR UPDATE) would lock nothing while the sku has no row yet.
      await tx.execute('SELECT pg_advisory_xact_lock(hashtext($1))', [sku]);
      const before = await cache.get(key);
      await cache.set(key, JSON.stringify({ sku, price }), 3600);
      try {
        await tx.execute('INSERT INTO prices (sku, amount) VALUES ($1, $2) ON CONFLICT (sku) DO UPDATE SET amount = $2', [sku, price]);
      } catch (err) {
        // The row will roll back; put the old value back while we still hold the lock.
        if (before === undefined) await cache.delete(key);
        else await cache.set(key, before, 3600);
        undone = true;
        throw err;
      }
    });
  } catch (err) {
    // The commit itself can fail after the cache took the value: dropping the key is a safe undo (reads reload it).
    if (!undone) await cache.delete(key);
    throw err;
  }
}
`;

const WRITE_THROUGH_PY = `# Write-through: acknowledge a price change only once the row and the cache entry both hold it.
import json
from contextlib import AbstractContextManager
from typing import Any, Protocol


class Cache(Protocol):
    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str, ttl: int) -> None: ...
    def delete(self, key: str) -> None: ...


class Transaction(Protocol):
    def execute(self, sql: str, params: tuple[Any, ...]) -> None: ...


class Database(Protocol):
    # Commits when the with-block exits normally, rolls back when it raises.
    def transaction(self) -> AbstractContextManager[Transaction]: ...


def save_price(db: Database, cache: Cache, sku: str, price: float) -> None:
    key = f"price:{sku}"
    undone = False
    try:
        with db.transaction() as tx:
            tx.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (sku,))  # held to commit; a row lock misses new skus
            before = cache.get(key)  # stable: the lock keeps other writers of this sku out
            cache.set(key, json.dumps({"sku": sku, "price": price}), ttl=3600)
            try:
                tx.execute("INSERT INTO prices (sku, amount) VALUES (%s, %s) ON CONFLICT (sku) DO UPDATE SET amount = EXCLUDED.amount", (sku, price))
            except Exception:
                # The row rolls back as this propagates; put the old value back while we hold the lock.
                cache.delete(key) if before is None else cache.set(key, before, ttl=3600)
                undone = True
                raise
    except Exception:
        if not undone:
            cache.delete(key)  # the commit itself failed: dropping the key is a safe undo
        raise
`;

const WRITE_BEHIND_TS = `// Write-behind: acknowledge once the cache has the value; a timer persists the newest value per key in batches.
export interface Cache {
  set(key: string, value: string): Promise<void>;
}
export interface Database {
  upsertMany(rows: Array<[key: string, value: string]>): Promise<void>; // one round trip; idempotent, so replays do no harm
}

export class WriteBehindWriter {
  private readonly dirty = new Map<string, string>(); // newest value per key (coalescing), in memory only: a crash loses it
  private retryDelayMs = 0;
  // Writes take turns: the cache and the dirty map must see concurrent writers in one order, or they keep different winners.
  private turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly cache: Cache, private readonly db: Database, private readonly batchSize = 100) {}

  write(key: string, value: string): Promise<void> {
    const done = this.turn.then(() => this.cache.set(key, value)).then(() => void this.dirty.set(key, value));
    this.turn = done.catch(() => undefined); // a failed write must not stall the writes queued behind it
    return done; // the caller is acknowledged once the cache has the value; the database hears later
  }

  /** Called by a timer; returns how long to wait before calling it again. */
  async flush(intervalMs: number): Promise<number> {
    const pending = [...this.dirty];
    this.dirty.clear();
    for (let i = 0; i < pending.length; i += this.batchSize) {
      try {
        await this.db.upsertMany(pending.slice(i, i + this.batchSize));
      } catch {
        // Requeue everything not yet persisted, unless a newer write to that key arrived meanwhile.
        for (const [key, value] of pending.slice(i)) if (!this.dirty.has(key)) this.dirty.set(key, value);
        this.retryDelayMs = Math.min(Math.max(this.retryDelayMs * 2, 1000), 60_000);
        return this.retryDelayMs;
      }
    }
    this.retryDelayMs = 0;
    return intervalMs;
  }
}
`;

const WRITE_BEHIND_PY = `# Write-behind: acknowledge once the cache has the value; a background thread flushes batches to the database.
import threading
from typing import Protocol


class Cache(Protocol):
    def set(self, key: str, value: str) -> None: ...


class Database(Protocol):
    def upsert_many(self, rows: list[tuple[str, str]]) -> None: ...  # idempotent


class WriteBehindWriter:
    def __init__(self, cache: Cache, db: Database, interval: float = 5.0, batch: int = 100) -> None:
        self._cache, self._db, self._interval, self._batch = cache, db, interval, batch
        self._dirty: dict[str, str] = {}  # newest value per key, in memory only
        self._lock = threading.Lock()

    def write(self, key: str, value: str) -> None:
        with self._lock:  # one step, so the cache and the dirty map see concurrent writers in the same order
            self._cache.set(key, value)
            self._dirty[key] = value  # acknowledged now; lost if the process dies before a flush

    def run_flusher(self, stop: threading.Event) -> dict[str, str]:
        delay, stopping = self._interval, False
        while not stopping:
            stopping = stop.wait(delay)  # asked to stop: flush once more, then return
            with self._lock:
                rows, self._dirty = list(self._dirty.items()), {}
            try:
                for i in range(0, len(rows), self._batch):
                    self._db.upsert_many(rows[i:i + self._batch])
                delay = self._interval
            except Exception:
                with self._lock:  # at-least-once: persisted batches may be sent again; a newer write wins
                    self._dirty = dict(rows) | self._dirty
                delay = min(delay * 2, 60.0)  # back off while the database is unhealthy
        with self._lock:  # still not in the database (the last flush failed): the caller must retry or report it
            return dict(self._dirty)
`;

const WRITE_AROUND_TS = `// Write-around: writes go to the database only; a report enters the cache when a read misses.
export interface Cache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
}
export interface Database {
  queryOne(sql: string, params: unknown[]): Promise<string | undefined>;
  execute(sql: string, params: unknown[]): Promise<void>;
}

export async function saveReport(db: Database, cache: Cache, id: string, body: string): Promise<void> {
  try {
    await db.execute('INSERT INTO reports (id, body) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET body = $2', [id, body]);
  } finally {
    // Also when the write throws: a timeout can hide a commit, and dropping a copy is never wrong.
    try {
      await cache.delete(\`report:\${id}\`); // drop an older copy so it cannot be served
    } catch (err) {
      // The TTL below caps how long an undeleted copy can live.
      console.warn('report cache invalidation failed', id, err);
    }
  }
}

export async function loadReport(db: Database, cache: Cache, id: string): Promise<string | undefined> {
  const key = \`report:\${id}\`;
  const cached = await cache.get(key);
  if (cached !== undefined) return cached;
  // The first read after a write always lands here: a miss, then one database round trip.
  const body = await db.queryOne('SELECT body FROM reports WHERE id = $1', [id]);
  if (body !== undefined) await cache.set(key, body, 300);
  return body;
}
`;

const WRITE_AROUND_PY = `# Write-around: writes go to the database only; a report enters the cache when a read misses.
import logging
from typing import Any, Protocol

log = logging.getLogger(__name__)


class Cache(Protocol):
    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str, ttl: int) -> None: ...
    def delete(self, key: str) -> None: ...


class Database(Protocol):
    def query_one(self, sql: str, params: tuple[Any, ...]) -> str | None: ...
    def execute(self, sql: str, params: tuple[Any, ...]) -> None: ...


def save_report(db: Database, cache: Cache, report_id: str, body: str) -> None:
    try:
        db.execute(
            "INSERT INTO reports (id, body) VALUES (%s, %s) ON CONFLICT (id) DO UPDATE SET body = EXCLUDED.body",
            (report_id, body),
        )
    finally:
        # Also when the write raises: a timeout can hide a commit, and dropping a copy is never wrong.
        try:
            cache.delete(f"report:{report_id}")  # drop an older copy so it cannot be served
        except Exception:  # whatever the cache client raises (redis-py has its own ConnectionError)
            log.warning("invalidation failed for %s; the TTL will expire it", report_id)


def load_report(db: Database, cache: Cache, report_id: str) -> str | None:
    key = f"report:{report_id}"
    if (cached := cache.get(key)) is not None:
        return cached
    body = db.query_one("SELECT body FROM reports WHERE id = %s", (report_id,))  # first read after a write
    if body is not None:
        cache.set(key, body, ttl=300)
    return body
`;

const CACHE_ASIDE_TS = `// Cache-aside: reads load lazily on a miss; writes update the database, then invalidate the cached copy.
export type User = { id: string; name: string };
export interface Cache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
}
export interface Database {
  findUser(id: string): Promise<User | undefined>;
  renameUser(id: string, name: string): Promise<void>;
}

const TTL_SECONDS = 600; // caps how long a reader that lost a race with a writer can keep an old row cached

export async function getUser(db: Database, cache: Cache, id: string): Promise<User | undefined> {
  const hit = await cache.get(\`user:\${id}\`);
  if (hit !== undefined) return JSON.parse(hit) as User;
  const user = await db.findUser(id);
  if (user) await cache.set(\`user:\${id}\`, JSON.stringify(user), TTL_SECONDS);
  return user;
}

export async function renameUser(db: Database, cache: Cache, id: string, name: string): Promise<void> {
  try {
    await db.renameUser(id, name); // the database is written first, so a cache failure never loses the write
  } finally {
    // Also when the update throws: a lost reply can hide a commit, and dropping the copy is always safe.
    for (let attempt = 1; ; attempt++) {
      try {
        await cache.delete(\`user:\${id}\`);
        break;
      } catch (err) {
        if (attempt === 3) throw err; // report it; the TTL still caps the staleness
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  }
}
`;

const CACHE_ASIDE_PY = `# Cache-aside: reads load lazily on a miss; writes update the database, then invalidate the cached copy.
import json
import time
from typing import Any, Protocol

TTL_SECONDS = 600  # caps how long a reader that lost a race with a writer can keep an old row cached


class Cache(Protocol):
    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str, ttl: int) -> None: ...
    def delete(self, key: str) -> None: ...


class Database(Protocol):
    def find_user(self, user_id: str) -> dict[str, Any] | None: ...
    def rename_user(self, user_id: str, name: str) -> None: ...


def get_user(db: Database, cache: Cache, user_id: str) -> dict[str, Any] | None:
    if (hit := cache.get(f"user:{user_id}")) is not None:
        return json.loads(hit)
    user = db.find_user(user_id)
    if user is not None:
        cache.set(f"user:{user_id}", json.dumps(user), ttl=TTL_SECONDS)
    return user


def rename_user(db: Database, cache: Cache, user_id: str, name: str) -> None:
    try:
        db.rename_user(user_id, name)  # written first: a cache failure below never loses the change
    finally:  # also when the update raises: a lost reply can hide a commit; dropping the copy is always safe
        for attempt in range(1, 4):
            try:
                cache.delete(f"user:{user_id}")
                break
            except Exception:  # whatever the client raises (redis-py has its own ConnectionError)
                if attempt == 3:
                    raise  # report it; the TTL still caps the staleness
                time.sleep(0.05 * attempt)
`;

const HYBRID_TS = `// Write-through writes plus cache-aside reads: a written key is fresh at once; other keys load on their first read.
export interface Cache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Stores only if the key is absent (Redis SET NX, memcached add); false when it was not. */
  add(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  delete(key: string): Promise<void>;
}
export interface Tx {
  execute(sql: string, params: unknown[]): Promise<void>;
}
export interface Database {
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  queryOne(sql: string, params: unknown[]): Promise<string | undefined>;
}

const TTL_SECONDS = 3600;

export async function writeSetting(db: Database, cache: Cache, name: string, value: string): Promise<void> {
  const key = \`setting:\${name}\`;
  try {
    await db.transaction(async (tx) => {
      await tx.execute('INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = $2', [name, value]);
      await cache.set(key, value, TTL_SECONDS); // before commit: the ack means both stores have it
    });
  } catch (err) {
    // Rolled back after the cache may have been set: dropping the key is a safe undo, the read path reloads it.
    await cache.delete(key);
    throw err;
  }
}

export async function readSetting(db: Database, cache: Cache, name: string): Promise<string | undefined> {
  const key = \`setting:\${name}\`;
  const cached = await cache.get(key);
  if (cached !== undefined) return cached;
  const value = await db.queryOne('SELECT value FROM settings WHERE name = $1', [name]); // never written here: load lazily
  if (value !== undefined) await cache.add(key, value, TTL_SECONDS); // a write that set the key meanwhile wins
  return value;
}
`;

const HYBRID_PY = `# Write-through writes plus cache-aside reads: a written key is fresh at once; other keys load on their first read.
from contextlib import AbstractContextManager
from typing import Any, Protocol


class Cache(Protocol):
    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str, ttl: int) -> None: ...
    def add(self, key: str, value: str, ttl: int) -> bool: ...  # only if absent (Redis SET NX); False if not
    def delete(self, key: str) -> None: ...


class Transaction(Protocol):
    def execute(self, sql: str, params: tuple[Any, ...]) -> None: ...


class Database(Protocol):
    def transaction(self) -> AbstractContextManager[Transaction]: ...
    def query_one(self, sql: str, params: tuple[Any, ...]) -> str | None: ...


def write_setting(db: Database, cache: Cache, name: str, value: str) -> None:
    key = f"setting:{name}"
    try:
        with db.transaction() as tx:
            tx.execute("INSERT INTO settings (name, value) VALUES (%s, %s) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value", (name, value))
            cache.set(key, value, ttl=3600)  # before commit: the return means both stores have it
    except Exception:
        cache.delete(key)  # the row rolled back; dropping the key is a safe undo, reads reload it
        raise


def read_setting(db: Database, cache: Cache, name: str) -> str | None:
    key = f"setting:{name}"
    if (cached := cache.get(key)) is not None:
        return cached
    value = db.query_one("SELECT value FROM settings WHERE name = %s", (name,))  # lazy load on a miss
    if value is not None:  # only into an empty slot: a write that set the key meanwhile has the newer value
        cache.add(key, value, ttl=3600)
    return value
`;

export const SNIPPETS: readonly Snippet[] = [
  { strategy: 'write-through', language: 'python', title: 'Write-through with a rollback', code: WRITE_THROUGH_PY, scenario: 'c16-write-through-db-failure-rolls-back.cachescenario' },
  { strategy: 'write-through', language: 'typescript', title: 'Write-through with a rollback', code: WRITE_THROUGH_TS, scenario: 'c16-write-through-db-failure-rolls-back.cachescenario' },
  { strategy: 'write-behind', language: 'python', title: 'Write-behind flusher: coalescing, batches, retry', code: WRITE_BEHIND_PY, scenario: 'c07-write-behind-coalescing.cachescenario' },
  { strategy: 'write-behind', language: 'typescript', title: 'Write-behind flusher: coalescing, batches, retry', code: WRITE_BEHIND_TS, scenario: 'c07-write-behind-coalescing.cachescenario' },
  { strategy: 'write-around', language: 'python', title: 'Write-around: write the DB, fill on a miss', code: WRITE_AROUND_PY, scenario: 'c12-write-around-first-read-misses.cachescenario' },
  { strategy: 'write-around', language: 'typescript', title: 'Write-around: write the DB, fill on a miss', code: WRITE_AROUND_TS, scenario: 'c12-write-around-first-read-misses.cachescenario' },
  { strategy: 'cache-aside', language: 'python', title: 'Cache-aside: lazy reads, invalidate after the write', code: CACHE_ASIDE_PY, scenario: 'c14-cache-aside-race-stale-entry.cachescenario' },
  { strategy: 'cache-aside', language: 'typescript', title: 'Cache-aside: lazy reads, invalidate after the write', code: CACHE_ASIDE_TS, scenario: 'c14-cache-aside-race-stale-entry.cachescenario' },
  { strategy: 'write-through+cache-aside', language: 'python', title: 'Hybrid: write through, read aside', code: HYBRID_PY, scenario: 'c15-hybrid-fresh-and-lazy.cachescenario' },
  { strategy: 'write-through+cache-aside', language: 'typescript', title: 'Hybrid: write through, read aside', code: HYBRID_TS, scenario: 'c15-hybrid-fresh-and-lazy.cachescenario' },
];

export function snippetsFor(strategy: Strategy): Snippet[] {
  return SNIPPETS.filter((s) => s.strategy === strategy);
}

export function findSnippet(strategy: Strategy, language: SnippetLanguage): Snippet | undefined {
  return SNIPPETS.find((s) => s.strategy === strategy && s.language === language);
}
