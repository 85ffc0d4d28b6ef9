// The lesson itself, as plain data: nine sections of typed blocks, each tied to the claims it teaches and the bundled
// scenarios that demonstrate them. The webview renders it; the tests check it against claims.md.
import type { Strategy } from '../model/types';

/** Ids of the lesson's claims (see the claims table the simulator must reproduce). */
export const ALL_CLAIMS = [
  'C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8', 'C9',
  'C10', 'C11', 'C12', 'C13', 'C14', 'C15', 'C16', 'C17', 'C18',
] as const;
export type ClaimId = (typeof ALL_CLAIMS)[number];

export function isClaimId(s: string): s is ClaimId {
  return (ALL_CLAIMS as readonly string[]).includes(s);
}

/**
 * Text inside a block. The only markup allowed is `**bold**` and `` `code` ``, neither nested nor spanning the other;
 * everything else is literal (no links, no HTML, no underscores-as-emphasis), so a renderer can escape the text and
 * then apply the two spans with {@link parseInline}.
 */
export type InlineText = string;

/** Diagram variants the webview can draw for a strategy. */
export const DIAGRAM_VARIANTS = ['normal', 'crash-before-flush', 'db-failure', 'race', 'wal', 'other-node', 'shutdown', 'lost-reply', 'dirty-read', 'write-delay'] as const;
export type DiagramVariant = (typeof DIAGRAM_VARIANTS)[number];

/** One piece of a section body. */
export type Block =
  | { kind: 'p'; text: InlineText }
  | { kind: 'list'; items: InlineText[] }
  | { kind: 'callout'; tone: 'warning' | 'tip'; title: string; text: InlineText }
  | { kind: 'table'; head: string[]; rows: InlineText[][] }
  /** A sequence diagram of one strategy; `caption` doubles as its text alternative. */
  | { kind: 'diagram'; strategy: Strategy; variant: DiagramVariant; caption: InlineText }
  /** The strategy's code, in every language of SNIPPETS (the view shows them as tabs). */
  | { kind: 'snippet'; strategy: Strategy };

export type BlockKind = Block['kind'];

export interface LessonSection {
  id: string;
  title: string;
  /** One sentence for the sidebar and the section header. */
  summary: string;
  body: Block[];
  /** Claims this section teaches. */
  claims: ClaimId[];
  /** Bundled scenario files (`<name>.cachescenario`, under `scenarios/`) that demonstrate those claims. */
  scenarios: string[];
  /** Strategy the section is about, when it is about one (the "run it" button opens it). */
  strategy?: Strategy;
}

/** A run of inline text after parsing the two allowed markups. */
export interface InlineSpan {
  kind: 'text' | 'bold' | 'code';
  text: string;
}

/**
 * Splits inline text into plain, bold and code spans. Code spans win: `**` inside backticks stays literal.
 * An unmatched marker is kept as literal text rather than rejected, so a typo never breaks rendering
 * (the lesson tests forbid such typos in the shipped content).
 */
export function parseInline(text: InlineText): InlineSpan[] {
  const spans: InlineSpan[] = [];
  let plain = '';
  let i = 0;
  const flush = (): void => {
    if (plain) spans.push({ kind: 'text', text: plain });
    plain = '';
  };
  while (i < text.length) {
    if (text[i] === '`') {
      const end = text.indexOf('`', i + 1);
      if (end > i + 1) {
        flush();
        spans.push({ kind: 'code', text: text.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    } else if (text.startsWith('**', i)) {
      const end = text.indexOf('**', i + 2);
      if (end > i + 2 && !text.slice(i + 2, end).includes('`')) {
        flush();
        spans.push({ kind: 'bold', text: text.slice(i + 2, end) });
        i = end + 2;
        continue;
      }
    }
    plain += text[i];
    i++;
  }
  flush();
  return spans;
}

/** Turns a scenario's base name into the file name stored in `LessonSection.scenarios`. */
export const scenarioFile = (name: string): string => `${name}.cachescenario`;

export const LESSON_SECTIONS: readonly LessonSection[] = [
  {
    id: 'spectrum',
    title: 'Four ways a write can travel',
    summary: 'Reads are the easy half of caching; the write strategy decides when the cache and the database agree.',
    claims: ['C1', 'C6', 'C12', 'C14'],
    scenarios: [
      scenarioFile('c01-write-through-ack-after-both'),
      scenarioFile('c06-write-behind-ack-after-cache'),
      scenarioFile('c12-write-around-first-read-misses'),
      scenarioFile('c14-cache-aside-race-stale-entry'),
    ],
    body: [
      {
        kind: 'p',
        text:
          'Most caches start out as **cache-aside**: the application looks in the cache, and on a miss it reads the database ' +
          'and keeps a copy. That settles reads, lazily. It says nothing about what happens when data changes, and that is ' +
          'where caches go wrong: a write can leave the cache, the database, or both, out of date for a while.',
      },
      {
        kind: 'p',
        text:
          'A **write strategy** answers two questions: which store hears about a change first, and when the caller is told ' +
          '"done". There are three classic answers:',
      },
      {
        kind: 'list',
        items: [
          '**Write-through**: update the cache and the database in one synchronous step; acknowledge only when both have it.',
          '**Write-behind** (also called write-back): update the cache, acknowledge at once, and persist to the database later in the background.',
          '**Write-around**: write only to the database and leave the cache to pick the value up on a later read miss.',
        ],
      },
      {
        kind: 'p',
        text:
          'Each one buys something and pays for it in a different currency: write latency, freshness of reads, memory spent ' +
          'on cold data, or the risk of losing a write that was already acknowledged. The rest of the lesson measures those ' +
          'costs in the simulator, one strategy at a time, with cache-aside kept as the baseline for reads.',
      },
      {
        kind: 'callout',
        tone: 'tip',
        title: 'Run, then read',
        text:
          'Every section lists the scenarios that prove its claims. Open one and step through its trace, and play the ' +
          'diagrams of the sections ahead: each shows every hop on a virtual clock, so a 60-second flush interval takes no ' +
          'real time at all.',
      },
    ],
  },
  {
    id: 'write-through',
    title: 'Write-through',
    summary: 'The caller waits until the cache and the database both hold the new value, so once it is acknowledged the two agree.',
    strategy: 'write-through',
    claims: ['C1', 'C2', 'C3', 'C4', 'C5', 'C16'],
    scenarios: [
      scenarioFile('c01-write-through-ack-after-both'),
      scenarioFile('c02-write-through-read-after-write-fresh'),
      scenarioFile('c03-write-through-two-round-trips'),
      scenarioFile('c04-write-through-cache-pollution'),
      scenarioFile('c05-write-through-read-heavy'),
      scenarioFile('c16-write-through-db-failure-rolls-back'),
    ],
    body: [
      {
        kind: 'p',
        text:
          'With write-through, one logical operation writes the new value into the cache and into the database, one after ' +
          'the other. The caller gets its acknowledgement only after **both** stores have confirmed, so once a write is ' +
          'acknowledged, the cache that took it and the database hold the same value.',
      },
      {
        kind: 'diagram',
        strategy: 'write-through',
        variant: 'normal',
        caption: 'The client writes to the cache, then to the database; the ack travels back only after the database confirms.',
      },
      {
        kind: 'list',
        items: [
          '**In sync, through one cache.** After an ack, the entry in the cache that took the write equals the database row, so a later read through that cache sees the write.',
          '**Other cache nodes still go stale.** Write-through updates only the node that took the write. An independent node that cached the key earlier keeps serving its old copy until it expires or is evicted, because nothing tells it about the write (try `set cache.nodes 2`: read through node2, write through node1, read through node2 again). Keeping every node fresh takes more than write-through: one shared cache, or a write that also invalidates the key in every node.',
          '**Slower writes.** The caller sits through a cache round trip and then a database round trip: with a 1 ms cache and a 10 ms database, a write costs 11 ms.',
          '**Cache pollution.** Every written key lands in the cache whether or not anyone reads it; rarely read rows take memory that hot rows could use.',
          '**Good fit:** read-heavy data that is also updated and must be visible at once, such as session stores or leaderboards.',
        ],
      },
      {
        kind: 'p',
        text:
          'Both-or-neither is the point, so a failed database write must not leave the new value in the cache. The usual ' +
          'shape is to update the cache inside the database transaction and undo that update if the transaction fails: ' +
          'the caller receives an error, and the cache and the row both keep their old value.',
      },
      {
        kind: 'p',
        text:
          'Both-or-neither describes what the two stores hold once the write has settled, not what a reader can see ' +
          'while it is under way. Between the cache update and the commit, a concurrent read of the key through that ' +
          'cache already returns the new value, before the writer has been acknowledged; if the commit then fails, that ' +
          'reader has seen a value the database never kept. The diagram\'s Dirty read variant (example x14) runs it: the ' +
          'write starts at 20 ms with the database set to fail it, bob reads the key at 25 ms and gets the new price at ' +
          '26 ms, the commit fails at 31 ms and the entry is rolled back at 32 ms. The simulator counts such a read as a ' +
          'dirty read (`expect metric dirtyReads == 1`), and the diagram marks it DIRTY READ.',
      },
      {
        kind: 'diagram',
        strategy: 'write-through',
        variant: 'db-failure',
        caption: 'The database rejects the write; the cache entry is rolled back and the client receives an error instead of an ack.',
      },
      { kind: 'snippet', strategy: 'write-through' },
      {
        kind: 'callout',
        tone: 'tip',
        title: 'Order matters too',
        text:
          'Two clients writing the same key at once must reach the cache and the database in the same order, or the stores ' +
          'end up holding different winners. Taking a lock on the key before touching the cache gives both stores one ' +
          'order. A row lock (`SELECT ... FOR UPDATE`) does it only once the row exists: for a first write there is no ' +
          'row to lock, so the snippet locks the key itself, with a lock the transaction holds until it ends.',
      },
      {
        kind: 'p',
        text:
          'Products call this mode by different names. In Hazelcast it is a map store with `write-delay-seconds` set to `0`: ' +
          'the store is called synchronously on every put, and the same map turns into write-behind as soon as the delay is positive.',
      },
    ],
  },
  {
    id: 'write-behind',
    title: 'Write-behind (write-back)',
    summary: 'The cache acknowledges immediately and a background flusher persists the changes later, in batches.',
    strategy: 'write-behind',
    claims: ['C6', 'C7', 'C9', 'C11'],
    scenarios: [
      scenarioFile('c06-write-behind-ack-after-cache'),
      scenarioFile('c07-write-behind-coalescing'),
      scenarioFile('c09-write-behind-stale-db-and-other-node'),
      scenarioFile('c11-write-behind-counters'),
    ],
    body: [
      {
        kind: 'p',
        text:
          'Write-behind moves the database off the critical path. The write updates the cache, the caller is acknowledged ' +
          'right away, and the change waits in a queue until a flusher sends it to the database. The same idea runs inside ' +
          'SSDs, CPU caches and the buffer pools of databases themselves.',
      },
      {
        kind: 'diagram',
        strategy: 'write-behind',
        variant: 'normal',
        caption: 'The ack returns after the cache write; later, the flusher sends the queued change to the database.',
      },
      {
        kind: 'list',
        items: [
          '**Cache-speed writes.** A write costs one cache round trip; the caller never waits on database I/O.',
          '**Coalescing.** If a key changes many times between flushes, only its newest value (for a counter, the summed increment) needs one database write.',
          '**Consistency gap.** Until the flush, anyone reading the database directly, or through a different cache node, sees the old value: even a node that misses and loads the key gets the old row. The flush brings the database up to date; a copy another node already holds stays old until it is evicted or expires, since independent nodes do not invalidate each other. That last part is not write-behind\'s alone: under write-through, too, a node that cached the key before the write keeps its old copy. What write-behind adds is the lagging database.',
          '**Evicted before the flush.** If the cache is too small for its data, a changed key can be evicted while its change is still queued; the next read misses and loads the old row (example `x05`). Size the cache for the whole data set, as Ehcache advises. Hazelcast and Ignite guard against this: a miss on a key whose change is still queued is answered from the queue, not the database (`set writeBehind.loadFromQueue on`, example `x16`).',
          '**Good fit:** write-heavy data where losing a little is acceptable, such as analytics counters, IoT sensor readings or the scores of a busy game leaderboard (a leaderboard that must show every score at once belongs under write-through); never money or stock levels.',
        ],
      },
      {
        kind: 'diagram',
        strategy: 'write-behind',
        variant: 'other-node',
        caption: 'Node 1 has the new value in its queue; a read through node 2 or straight from the database still returns the old one.',
      },
      { kind: 'snippet', strategy: 'write-behind' },
      {
        kind: 'p',
        text:
          'Real products expose the same knobs the simulator does. Hazelcast turns write-behind on with `write-delay-seconds` ' +
          'greater than zero and coalesces by default (`write-coalescing`). Each entry then waits the whole delay, counted ' +
          'from its first update, and a later update to the same key does not push it back (`writeBehind.writeDelay`: the diagram\'s Write delay variant, example x15). ' +
          'Apache Ignite flushes every `writeBehindFlushFrequency` (5 s by default) or once `writeBehindFlushSize` entries ' +
          'are pending, and takes whatever is queued by then, however new.',
      },
      {
        kind: 'callout',
        tone: 'tip',
        title: 'When the queue fills up',
        text:
          'A queue that grows faster than the database drains it needs a policy. Ehcache blocks the writer when ' +
          '`writeBehindMaxQueueSize` is reached, Hazelcast rejects the put (its queue cap applies with coalescing off), and ' +
          'Ignite makes the writing thread store one pending entry itself, a database round trip, once the buffer ' +
          'reaches **1.5x** its flush size (past the flush size alone, it wakes its flusher early). Each turns a fast write back into a slow or failed one under load. ' +
          'To try them, bound the queue first (`set writeBehind.maxQueue 3`; it is unbounded by default, so the policy never applies), ' +
          'then set `writeBehind.whenFull` to `block`, `reject` or `flush` and write to four keys.',
      },
    ],
  },
  {
    id: 'durability',
    title: 'The price of write-behind: durability',
    summary: 'An acknowledged write that is still in the queue when the cache dies is gone, unless the queue itself is durable.',
    strategy: 'write-behind',
    claims: ['C8', 'C10', 'C18'],
    scenarios: [
      scenarioFile('c08-write-behind-crash-loses-writes'),
      scenarioFile('c10-write-behind-wal-survives-crash'),
      scenarioFile('c18-counters-lost-on-crash'),
    ],
    body: [
      {
        kind: 'callout',
        tone: 'warning',
        title: 'Acknowledged is not persisted',
        text:
          'Between the ack and the flush, the only copy of a write lives in the cache process. If that process crashes in ' +
          'the window, every write acknowledged since the last flush is lost for good, and the callers were told it ' +
          'succeeded. Do not put payments, orders or inventory behind a plain write-behind cache.',
      },
      {
        kind: 'diagram',
        strategy: 'write-behind',
        variant: 'crash-before-flush',
        caption: 'Writes are acknowledged, the cache crashes before the flush, and the database never receives them.',
      },
      {
        kind: 'p',
        text:
          'Counters show the size of the window plainly. If page views are incremented in the cache and flushed every 60 s, ' +
          'a crash 50 s after the last flush throws away 50 seconds of views. For a dashboard that is usually fine; for a ' +
          'balance it never is.',
      },
      {
        kind: 'p',
        text:
          'If you need write-behind speed **and** durability, make the queue durable: append each change to a ' +
          '**write-ahead log** or a durable queue before acknowledging, and replay it on restart. In a real product that ' +
          'append is not free: the ack now waits until the change is on disk or on a replica, so every write is slower than ' +
          'the cache write alone. In return, a crash of the cache loses no acknowledged write. Turn it on with ' +
          '`set writeBehind.wal on` and rerun the crash. The simulator charges no time for the append (the write is still ' +
          'acknowledged after one cache round trip), so it shows what the log saves, not what it costs.',
      },
      {
        kind: 'diagram',
        strategy: 'write-behind',
        variant: 'wal',
        caption: 'Each write is appended to the log before the ack; after the crash, restart replays the log and the flush completes.',
      },
      {
        kind: 'list',
        items: [
          '**Hazelcast** keeps each member\'s pending entries on a backup member too, which covers the crash of one member in a healthy cluster; there is no disk log, and users still report entries lost when a node crashes and pending entries dropped at shutdown.',
          '**Redis rgsync** records every change, in order, into a Redis Stream as part of the write; its durability is that of Redis itself (replication plus AOF).',
          '**A planned shutdown is not a crash, but it has a deadline.** A node being stopped for a deploy stops serving and flushes its queue first, but only for so long: NCache waits 180 s, then drops what is left. If the database is down meanwhile, the retries run out the clock and acknowledged writes go anyway. Try `shutdown cache timeout 5s` during `fail db for 20s` (example `x07`).',
          '**Replays repeat work.** These systems deliver at least once, so after a failure the same change can reach the database twice. Make the write idempotent: upsert the final value, or tag each increment with an id the database remembers. To see it, lose a reply with `fail db next 1 reply`: the database commits a flush, the flusher never hears so and sends it again, and a counter counts twice (example `x08`). With `set writeBehind.delivery exactly-once` the database keeps the applied ids and skips the replay (example `x09`).',
        ],
      },
      {
        kind: 'callout',
        tone: 'tip',
        title: 'Stop where it happens',
        text:
          'Step through the C8 scenario and tick **Lost writes** under Breakpoints in Run and Debug: Continue stops at the ' +
          'crash and lists the writes it threw away. To see the flush that came before it, right-click **order:1** under ' +
          'Database in the Variables view, pick **Break on Value Change** and press **Reverse Continue**: the debugger goes ' +
          'back to the moment the queue reached the database.',
      },
    ],
  },
  {
    id: 'write-around',
    title: 'Write-around',
    summary: 'Writes go to the database only; the cache learns about a key when somebody reads it.',
    strategy: 'write-around',
    claims: ['C12', 'C13'],
    scenarios: [scenarioFile('c12-write-around-first-read-misses'), scenarioFile('c13-write-around-no-pollution')],
    body: [
      {
        kind: 'p',
        text:
          'Write-around leaves the cache out of the write path. The new value goes to the database, any cached copy is ' +
          'dropped so it cannot be served stale, and the cache fills only on a read miss. In the simulator the cache node ' +
          'loads that miss itself (read-through), so the first read after a write costs one cache round trip plus one ' +
          'database round trip: 1 + 10 = 11 ms with the default latencies. The snippet below does the load in application ' +
          'code instead, the way cache-aside reads do: its fill costs one cache round trip more, and it can lose the race ' +
          'the cache-aside section describes.',
      },
      {
        kind: 'diagram',
        strategy: 'write-around',
        variant: 'normal',
        caption: 'The write goes straight to the database; the next read misses, loads the row and caches it; the read after that hits.',
      },
      {
        kind: 'list',
        items: [
          '**No pollution.** Keys that are written and never read back never occupy the cache.',
          '**A miss after every write.** The first read of a freshly written key always pays the database round trip.',
          '**Good fit:** data that is seldom read soon after it is written, such as logs, audit trails and bulk imports.',
        ],
      },
      { kind: 'snippet', strategy: 'write-around' },
    ],
  },
  {
    id: 'cache-aside',
    title: 'Cache-aside, the read-side baseline',
    summary: 'The application looks in the cache and loads a miss from the database itself; a write updates the database, then invalidates.',
    strategy: 'cache-aside',
    claims: ['C14'],
    scenarios: [scenarioFile('c14-cache-aside-race-stale-entry')],
    body: [
      {
        kind: 'p',
        text:
          'In cache-aside the cache is a side table the application manages itself. A read checks the cache, and on a miss ' +
          'loads the row from the database and stores it. A write updates the database and then deletes the cached entry. ' +
          'The simulator answers the caller once the database commits and sends the delete without waiting for it, so a ' +
          'write costs one database round trip. The snippet below waits for the delete too, so that it can retry one that ' +
          'fails: one cache round trip more. Either way nothing is lost, because the database is written first.',
      },
      {
        kind: 'p',
        text:
          'It is only **eventually** consistent, though. A reader that missed can fetch the old row, stall, and store it ' +
          'after a writer has already updated the row and deleted the entry. The old value then sits in the cache until ' +
          'its TTL runs out or the next invalidation removes it.',
      },
      {
        kind: 'diagram',
        strategy: 'cache-aside',
        variant: 'race',
        caption: 'A slow reader loads the old row, the writer updates and invalidates, then the reader stores the old row: a stale entry.',
      },
      {
        kind: 'p',
        text:
          'A race is not the only way to keep an old entry. If the database commits the update but its reply never ' +
          'arrives (a timeout on the way back), the application sees an error and never gets as far as the delete: the ' +
          'new row is in the database, the old one stays in the cache. Try `fail db next 1 reply` before a write (example `x11`, ' +
          'or the Lost reply variant of the diagram). Deleting the entry in a `finally` block, whatever the write did, closes this gap.',
      },
      { kind: 'snippet', strategy: 'cache-aside' },
      {
        kind: 'callout',
        tone: 'tip',
        title: 'Always set a TTL',
        text:
          'A TTL bounds how long a lost race can serve stale data. Pick it from how stale the data may be, not from how much memory you have.',
      },
    ],
  },
  {
    id: 'comparison',
    title: 'Side by side',
    summary: 'The four strategies compared on write latency, read consistency, risk of loss and best fit.',
    claims: ['C17'],
    scenarios: [
      scenarioFile('c17-comparison-table-write-through'),
      scenarioFile('c17-comparison-table'),
      scenarioFile('c17-comparison-table-write-around'),
      scenarioFile('c17-comparison-table-cache-aside'),
    ],
    body: [
      {
        kind: 'table',
        head: ['Strategy', 'Write latency', 'Read consistency', 'Risk of losing a write', 'Best fit'],
        rows: [
          ['Write-through', 'Highest: cache, then DB, in sequence', 'Strong through one shared cache; other nodes keep old copies', 'None', 'Read-heavy data that must be fresh'],
          ['Write-behind', 'Lowest: cache only, DB flushed later', 'Eventual: DB and other nodes lag', 'Yes: a crash before the flush', 'Write-heavy data that tolerates loss'],
          ['Write-around', 'One DB round trip, no cache update', 'First read after a write misses; an application-side fill can race as in cache-aside', 'None', 'Data rarely read back after writing'],
          ['Cache-aside', 'One DB round trip, then invalidate', 'Eventual: a race can cache an old row', 'None', 'General purpose, read-heavy'],
        ],
      },
      {
        kind: 'p',
        text:
          'The words in this table are relative. To measure them, open **Compare Strategies** or run `cache-workbench compare` ' +
          'in a terminal: both run every strategy on one generated workload, through one cache node, and again with a ' +
          'cache crash half-way, then fill the same columns with numbers: write latency, stale reads, writes lost in the ' +
          'crash, database writes and cache pollution. The four comparison scenarios below measure one row each, on one ' +
          'small workload you can step through: the same operations, the same crash, a different strategy line.',
      },
    ],
  },
  {
    id: 'hybrid',
    title: 'Write-through plus cache-aside',
    summary: 'Writes go through the cache synchronously; reads look aside and load lazily: fresh after writes, lazy for the rest.',
    strategy: 'write-through+cache-aside',
    claims: ['C15'],
    scenarios: [scenarioFile('c15-hybrid-fresh-and-lazy')],
    body: [
      {
        kind: 'p',
        text:
          'Real systems mix strategies. A common pairing writes through and reads aside: every write updates the database ' +
          'and the cache together, and every read checks the cache first and loads from the database on a miss.',
      },
      {
        kind: 'list',
        items: [
          '**Written keys** are in the cache, with their newest value, the moment the write is acknowledged.',
          '**Keys never written** through this path (loaded by a batch job, say) still work: the first read misses and loads them.',
          '**A read fills only an empty slot.** A reader that missed and loaded the row while a write came through holds the ' +
            'older value, and storing it would undo the writer\'s update until the TTL. So the fill is an add-if-absent ' +
            '(Redis `SET NX`, memcached `add`), as in the snippet below; the simulator\'s node does the same and says so ' +
            '("already holds the key: the fill leaves it alone").',
        ],
      },
      {
        kind: 'diagram',
        strategy: 'write-through+cache-aside',
        variant: 'normal',
        caption: 'A write fills the cache and the database together; a read of another key misses, loads it, and caches it.',
      },
      { kind: 'snippet', strategy: 'write-through+cache-aside' },
    ],
  },
  {
    id: 'choosing',
    title: 'Choosing a strategy in an interview',
    summary: 'Pick per kind of data, from how fresh it must be and how much loss it can take.',
    claims: ['C5', 'C11'],
    scenarios: [scenarioFile('c05-write-through-read-heavy'), scenarioFile('c11-write-behind-counters')],
    body: [
      {
        kind: 'p',
        text:
          'Asked how you would keep a cache consistent, resist naming one strategy for the whole system. Sort the data ' +
          'into kinds and ask two questions of each: must a read right after a write see it, and what happens if an ' +
          'acknowledged write disappears?',
      },
      {
        kind: 'table',
        head: ['Data', 'Must reads be fresh?', 'Can it lose writes?', 'Strategy'],
        rows: [
          ['User sessions, profiles', 'Yes', 'No', 'Write-through (often with cache-aside reads)'],
          ['Page views, likes, metrics', 'No', 'A few, yes', 'Write-behind with a periodic flush'],
          ['Audit logs, imports', 'No (rarely read)', 'No', 'Write-around'],
          ['Payments, inventory', 'Yes, and checks read the database', 'Never', 'Commit to the database before the ack (write-through or write-around); decide from the database, cache only for display'],
        ],
      },
      {
        kind: 'callout',
        tone: 'tip',
        title: 'Say it like this',
        text:
          '"Account settings are read on every page and changed rarely, and someone who saves a change expects to see it, ' +
          'so they get write-through. Like counts change on every tap and nobody notices a few vanishing in a crash, so ' +
          'they get write-behind, flushed once a minute." Tying each choice to a property of the data is what the question tests.',
      },
    ],
  },
];

/** Section ids in lesson order. */
export const SECTION_IDS: readonly string[] = LESSON_SECTIONS.map((s) => s.id);

export function findSection(id: string): LessonSection | undefined {
  return LESSON_SECTIONS.find((s) => s.id === id);
}
