// Hover help for `.cachescenario` files, and the language's reference text (keywords, strategies, metrics) that
// completion shows too. Pure: text and a position in, markdown out; the editor wrapper lives in src/views.
import type { MetricName, Strategy } from '../model/types';
import type { SettingKind, SettingSpec } from './settings';
import type { Token } from './lexer';
import { METRIC_NAMES, isStrategy } from '../model/types';
import { findPreset } from '../model/presets';
import { CLIENT_DELAY_PATTERN, findSetting } from './settings';
import type { STATEMENT_KEYWORDS } from './parser';
import { EXPECTATION_KINDS } from './parser';
import { lexLine, splitLines } from './lexer';
import { parseDuration } from './values';

/** Reference text of one word of the language: how it is written and what it does. */
export interface WordDoc {
  /** The form(s) of the statement, one per line, in the language's own notation. */
  syntax: string;
  doc: string;
}

type StatementKeyword = (typeof STATEMENT_KEYWORDS)[number];
type ExpectationKind = (typeof EXPECTATION_KINDS)[number];

/** Typed as a Record so that a keyword added to the parser without a doc here fails to compile. */
export const KEYWORD_DOCS: Readonly<Record<StatementKeyword, WordDoc>> = {
  strategy: {
    syntax: 'strategy NAME',
    doc: 'Picks the write strategy for the whole run. One per file; a file without one runs write-through.',
  },
  preset: {
    syntax: 'preset NAME',
    doc: "Starts the write-behind queue from a real product's documented defaults (where a default means write-through, a common write-behind setting; each preset's hover says which). `set` lines still override single options.",
  },
  set: {
    syntax: 'set NAME VALUE',
    doc: 'Changes one engine option. Options hold for the whole run, so settings belong above the first operation or fault.',
  },
  load: {
    syntax: 'load KEY JSON',
    doc: 'Puts a row into the database before the run starts. No client is involved and no cache sees it.',
  },
  write: {
    syntax: 'write KEY JSON [via nodeN]',
    doc: 'A client writes a value through the strategy. The strategy decides whether the cache, the database or both are written, and when the client is acknowledged.',
  },
  incr: {
    syntax: 'incr KEY [AMOUNT] [via nodeN]',
    doc: 'A client adds AMOUNT (default 1, may be negative) to a counter. A missing value, or one that is not a number, counts as 0 (the cache, the queue and the database all count this way). Under write-behind the queue carries the delta, so a cache that restarts empty never overwrites the database total.',
  },
  read: {
    syntax: 'read KEY [via nodeN]',
    doc: 'A client reads through the strategy: a hit answers from the cache, a miss goes to the database. The checker marks the result stale if a newer write had already been acknowledged.',
  },
  'read-db': {
    syntax: 'read-db KEY',
    doc: 'Reads the row straight from the database, bypassing every cache: what would survive if all caches vanished now.',
  },
  advance: {
    syntax: 'advance DURATION',
    doc: 'Lets virtual time pass, so timers fire: write-behind flushes, retries, TTL expiries, the end of a database outage.',
  },
  crash: {
    syntax: 'crash cache [nodeN]',
    doc: 'Crashes a cache node (node1 if none is named). Its entries are gone, and so is its write-behind queue unless the WAL or a backup keeps it.',
  },
  shutdown: {
    syntax: 'shutdown cache [nodeN] [timeout DURATION | timeout off]',
    doc: 'Shuts a cache node down gracefully (node1 if none is named): it stops serving clients and its entries are gone, but its write-behind queue keeps flushing, at once, until it is empty or the timeout passes. Writes still queued then are lost, unless the WAL or a backup keeps them. Without `timeout`, `set writeBehind.shutdownTimeout` decides (default off: wait until the queue is empty).',
  },
  restart: {
    syntax: 'restart cache [nodeN]',
    doc: 'Brings a crashed cache node back, empty. With the WAL on, the queued writes it logged are replayed.',
  },
  fail: {
    syntax: 'fail db for DURATION\nfail db next N writes\nfail db next N replies\nfail db key KEY',
    doc: 'Injects a database fault: unavailable for a while, the next N writes rejected, the next N writes committed with their replies lost (the writer cannot tell they happened), or one row refused until `recover db` or `recover db key KEY` (a poison row). Watch how each strategy reports it to the client.',
  },
  recover: {
    syntax: 'recover db [key KEY]',
    doc: 'Ends every database fault now instead of waiting for it to expire: an outage, writes still to fail or to lose their replies, refused keys. `recover db key KEY` fixes only that poison row (`fail db key KEY`) and leaves every other fault in force.',
  },
  expect: {
    syntax: 'expect value JSON | error | ok | stale | fresh\nexpect db KEY == JSON | missing\nexpect cache KEY [via nodeN] == JSON | missing\nexpect metric NAME OP NUMBER',
    doc: 'Checks the run. `value`, `stale` and `fresh` look at the nearest read above (`read` or `read-db`, whichever client made it), `error` and `ok` at the nearest client operation above; `db` and `cache` look at the state at this point of the run; `metric` is checked at this point of the run too, except in the block of expectations that closes the scenario (after its last operation, advance or fault), where it is checked when the run has ended and every queue has drained.',
  },
  at: {
    syntax: 'at DURATION [as NAME] OPERATION',
    doc: 'Issues the operation (or fault) at an absolute virtual time instead of when the previous one finishes, so operations can overlap and race.',
  },
  as: {
    syntax: 'as NAME OPERATION',
    doc: "Issues the operation on a named client (the default client is `app`). One client's operations run one after another; different clients overlap.",
  },
};

export const EXPECTATION_DOCS: Readonly<Record<ExpectationKind, WordDoc>> = {
  value: { syntax: 'expect value JSON\nexpect value missing', doc: 'The nearest read above (`read` or `read-db`, whichever client made it) returned exactly this JSON value (`missing`: it found no value).' },
  error: { syntax: 'expect error', doc: 'The nearest client operation above (whichever client made it) failed: a database fault, a rejected write, a crashed node.' },
  ok: { syntax: 'expect ok', doc: 'The nearest client operation above (whichever client made it) succeeded.' },
  stale: { syntax: 'expect stale', doc: 'The nearest read above (whichever client made it) was stale: it returned a version older than the newest write acknowledged before the read began.' },
  fresh: { syntax: 'expect fresh', doc: 'The nearest read above (whichever client made it) was not stale.' },
  db: { syntax: 'expect db KEY == JSON\nexpect db KEY missing', doc: 'At this point of the run the database row holds this value (or there is no row). Operations already acknowledged have landed their last steps by then; nothing waits for a write-behind flush.' },
  cache: { syntax: 'expect cache KEY [via nodeN] == JSON\nexpect cache KEY [via nodeN] missing', doc: 'At this point of the run the cache node (node1 unless named) holds this value (or no entry). Operations already acknowledged have landed their last steps by then (a write-around or cache-aside write\'s invalidation). The node may also come last: `expect cache KEY missing via node2`.' },
  metric: { syntax: 'expect metric NAME OP NUMBER', doc: 'A metric compared with one of == != < <= > >=, at this point of the run; in the block of expectations that closes the scenario, at the end of the run, once every queue has drained.' },
};

/** Smaller words that only appear inside statements. */
export const CLAUSE_DOCS: Readonly<Record<string, WordDoc>> = {
  via: { syntax: 'via nodeN', doc: 'Sends the operation through another cache node; `set cache.nodes N` decides how many exist.' },
  missing: { syntax: '... missing', doc: 'No entry: the row or cache entry does not exist, or the read found no value.' },
  for: { syntax: 'fail db for DURATION', doc: 'The database stays unavailable for this long, on the virtual clock.' },
  next: { syntax: 'fail db next N writes | replies', doc: '`writes`: the next N database write transactions fail and change nothing; reads still work. `replies`: the next N commit, but their replies are lost, so each writer takes its write for failed though the database has it (write-through rolls its cache entry back, cache-aside never invalidates, and write-behind sends the batch again: see `writeBehind.delivery`).' },
  key: { syntax: 'fail db key KEY', doc: 'A poison row: from now until `recover db` (or `recover db key KEY`, which fixes only this row), every database write transaction that writes KEY fails and changes nothing (a constraint the value breaks, a trigger that throws). A write-behind batch carrying the key fails as a whole, so the other rows in it fail with it and retry with it. A failed batch ends its flush, so rows queued behind it wait for the next one; in strict order (rgsync) nothing behind it lands until the row is fixed. Reads still work.' },
  timeout: { syntax: 'shutdown cache [nodeN] timeout DURATION | off', doc: 'How long the shutting-down node keeps flushing its queue before it gives up; the writes still queued then are lost. `off` waits until the queue is empty. Given again while the node drains, a new limit counts from then.' },
};

export const STRATEGY_DOCS: Readonly<Record<Strategy, string>> = {
  'write-through':
    'A write updates the cache and the database, and the client is acknowledged only after both. A failed database write rolls the cache entry back. Reads through the node that took the write are fresh (another node can still hold an older copy); writes pay both round trips.',
  'write-behind':
    'A write updates the cache and is acknowledged at once; a queue flushes it to the database later (flush interval, batch size, coalescing). Writes are fast and batched, but a crash before the flush loses acknowledged writes unless a WAL or backup keeps the queue.',
  'write-around':
    'A write goes only to the database and invalidates the cached copy; the next read misses and fills the cache. Data written but never read does not pollute the cache, at the price of a miss after every write.',
  'cache-aside':
    'The application looks in the cache and, on a miss, loads from the database and fills the cache. A write goes to the database and then invalidates the entry; between the two, and in races with loads, readers can see stale data.',
  'write-through+cache-aside':
    'The hybrid: writes as in write-through (cache and database, acknowledged after both), reads as in cache-aside (load from the database on a miss).',
};

export const METRIC_DOCS: Readonly<Record<MetricName, string>> = {
  acknowledgedWrites: 'Client writes and increments acknowledged as successful.',
  failedWrites: 'Client writes and increments that ended in an error.',
  reads: 'Client reads that returned a result.',
  failedReads: 'Client reads that ended in an error.',
  cacheHits: 'Lookups answered by a cache node.',
  cacheMisses: 'Lookups a cache node could not answer.',
  missesAfterWrite: "Misses on a key whose cached copy a write had invalidated: write-around's first read after a write.",
  hitRatio: 'cacheHits / (cacheHits + cacheMisses); 0 when nothing was looked up.',
  staleReads: 'Reads that returned a version older than the newest write acknowledged before the read began.',
  dirtyReads: 'Reads that returned a write which then failed and was rolled back: a value no store kept. Write-through shows a write in the cache before its commit, so a read in that window can see it.',
  staleFills: 'Cache fills that stored a value the database had already replaced, leaving a stale entry behind: the race between a cache-aside load and a write. (The diagram\'s STALE ENTRY badge is wider: any cache store older than an acknowledged write, such as a load of the old row a lost write left in the database.)',
  lostWrites: 'Acknowledged writes whose value the database never got, with nothing left that could still write it (a crashed node\'s write-ahead log could: its restart replays it).',
  dbWrites: 'Row writes the database applied (a batch of 10 rows counts 10).',
  dbReads: 'Rows read from the database.',
  dbRoundTrips: 'Requests sent to the database; a batch is one round trip.',
  cachePollution: 'Entries a write put into a cache that were never read there before they left it or the run ended.',
  evictions: 'Entries the least-recently-used policy pushed out because a node was full.',
  maxQueueDepth: "The largest number of pending write-behind entries at any one moment, all nodes' queues together.",
  maxPendingAgeMs: 'Write-behind: the longest a queue entry waited, from its first write until the database took it, in virtual ms: the window in which a crash would have lost that acknowledged write. Entries never persisted do not count.',
  queueDepth: "Pending write-behind entries left when the run ended, all nodes' queues together.",
  retries: 'Write-behind entries sent back for another try after a failed flush (a failed batch of 3 entries counts 3).',
  deadLetters: 'Write-behind entries given up on after the requeue limit.',
  rejectedWrites: 'Writes refused because the write-behind queue was full and its policy is reject.',
  queueOverflows: 'Writes that found the write-behind queue full, each counted once, whatever the policy then did: rejected it (reject), made it wait for a flush (block), or had the writer store a pending entry itself first (flush; Ignite counts these in WriteBehindTotalCriticalOverflowCount).',
  rollbacks: 'Cache entries undone after the database write of a write-through failed.',
  duplicateWrites: 'Client writes the database applied more than once: a write-behind batch sent again after its commit\'s reply was lost (at-least-once delivery). A plain write applied twice leaves the same value; an increment counts twice. `writeBehind.delivery exactly-once` keeps this at 0.',
  writeLatencyMs: 'Write latency in virtual ms: p50, p95, p99, max and mean. The bare name means the mean.',
  readLatencyMs: 'Read latency in virtual ms: p50, p95, p99, max and mean. The bare name means the mean.',
};

const PERCENTILE_WORDS: Readonly<Record<string, string>> = {
  p50: 'the median',
  p95: 'the 95th percentile',
  p99: 'the 99th percentile',
  max: 'the maximum',
  mean: 'the mean',
};

/** Doc of a name `expect metric` accepts, including the latency fields (`writeLatencyMs.p99`); undefined if unknown. */
export function metricDoc(name: string): string | undefined {
  const [head, field, extra] = name.split('.');
  if (head === undefined || extra !== undefined || !(METRIC_NAMES as readonly string[]).includes(head)) return undefined;
  const base = METRIC_DOCS[head as MetricName];
  if (field === undefined) return base;
  const word = Object.hasOwn(PERCENTILE_WORDS, field) ? PERCENTILE_WORDS[field] : undefined;
  if (word === undefined || (head !== 'writeLatencyMs' && head !== 'readLatencyMs')) return undefined;
  return `${word[0]?.toUpperCase() ?? ''}${word.slice(1)} of ${head === 'writeLatencyMs' ? 'write' : 'read'} latency, in virtual ms.`;
}

const KIND_PHRASES: Readonly<Record<SettingKind, string>> = {
  duration: 'a duration (250ms, 5s, 2m, 1h)',
  'duration-or-off': 'a duration (250ms, 5s, 2m, 1h) or off',
  count: 'a whole number',
  'count-or-off': 'a whole number or off',
  'on-off': 'on or off',
  enum: 'one of the listed words',
};

/** What a setting's value looks like, in a few words: the completion detail and the hover's value line. */
export function settingValuePhrase(spec: Pick<SettingSpec, 'kind' | 'choices' | 'min' | 'max' | 'wholeMs'>): string {
  if (spec.kind === 'enum') return (spec.choices ?? []).join(' | ');
  const min = spec.min !== undefined && spec.min > 0 ? `, at least ${spec.min}` : '';
  const max = spec.max !== undefined ? `${min === '' ? ',' : ' and'} at most ${spec.max.toLocaleString('en-US')}` : '';
  const whole = spec.wholeMs ? ', in whole milliseconds' : '';
  return `${KIND_PHRASES[spec.kind]}${min}${max}${whole}`;
}

/** Doc and value phrase of a setting name, including the pattern `client.NAME.delay`; undefined if unknown. */
export function settingDoc(name: string): { doc: string; value: string } | undefined {
  const spec = findSetting(name);
  if (spec) return { doc: spec.doc, value: settingValuePhrase(spec) };
  const client = CLIENT_DELAY_PATTERN.exec(name)?.[1];
  if (client === undefined) return undefined;
  return {
    doc: `Extra delay client \`${client}\` adds before each of its hops: a slow app server, a GC pause. Useful to make one client lose a race.`,
    value: KIND_PHRASES.duration,
  };
}

/** Markdown of one word's reference entry. */
export function wordMarkdown(title: string, d: WordDoc): string {
  return `**${title}**\n\n\`\`\`cachescenario\n${d.syntax}\n\`\`\`\n\n${d.doc}`;
}

/** A hover's text and the 0-based columns [start, end) of the word it explains, on the requested line. */
export interface ScenarioHover {
  markdown: string;
  line: number;
  start: number;
  end: number;
}

function durationMarkdown(text: string, ms: number): string {
  const exact = Number.isInteger(ms) ? String(ms) : String(Number(ms.toFixed(6)));
  return `**${text}** = ${exact} ms of virtual time`;
}

const DURATION_AFTER = new Set(['at', 'advance', 'for', 'timeout']);
const NODE_RE = /^node([1-9]\d*)$/;

/** Index just past the `[at DURATION] [as NAME]` prefix of a statement, where its verb is. */
function verbIndex(tokens: readonly Token[]): number {
  let i = 0;
  if (tokens[i]?.text === 'at') i += 2;
  if (tokens[i]?.text === 'as') i += 2;
  return i;
}

/** The markdown for token `i` of a line, read in the light of the tokens before it; undefined when there is nothing to say. */
function explain(tokens: readonly Token[], i: number): string | undefined {
  const tok = tokens[i];
  if (!tok || tok.inString) return undefined;
  const word = tok.text;
  const prev = tokens[i - 1]?.text;
  const head = tokens[0]?.text;
  const verbAt = verbIndex(tokens);
  const verb = tokens[verbAt]?.text;

  // Positions of the `at DURATION as NAME` prefix.
  if (i < verbAt) {
    if (word === 'at' && i === 0) return wordMarkdown('at', KEYWORD_DOCS.at);
    if (word === 'as' && prev !== 'as') return wordMarkdown('as', KEYWORD_DOCS.as);
    if (prev === 'at') {
      const ms = parseDuration(word);
      return ms === undefined ? undefined : durationMarkdown(word, ms);
    }
    if (prev === 'as') return `**client \`${word}\`**\n\nA named client: its operations run one after another, overlapping other clients'.`;
    return undefined;
  }
  if (i === verbAt) {
    return Object.hasOwn(KEYWORD_DOCS, word) && word !== 'at' && word !== 'as' ? wordMarkdown(word, KEYWORD_DOCS[word as StatementKeyword]) : undefined;
  }

  if (head === 'strategy' && i === 1) {
    return isStrategy(word) ? `**${word}** (strategy)\n\n${STRATEGY_DOCS[word]}` : undefined;
  }
  if (head === 'preset' && i === 1) {
    const p = findPreset(word);
    return p ? `**${p.name}**: ${p.product} defaults\n\n${p.summary}` : undefined;
  }
  if (head === 'set') {
    if (i === 1) {
      const s = settingDoc(word);
      return s ? `**${word}** (setting)\n\n${s.doc}\n\nValue: ${s.value}.` : undefined;
    }
    if (i === 2) {
      const ms = parseDuration(word);
      if (ms !== undefined) return durationMarkdown(word, ms);
    }
    return undefined;
  }
  if (head === 'expect') {
    if (i === 1) {
      return (EXPECTATION_KINDS as readonly string[]).includes(word)
        ? wordMarkdown(`expect ${word}`, EXPECTATION_DOCS[word as ExpectationKind])
        : undefined;
    }
    if (tokens[1]?.text === 'metric' && i === 2) {
      const d = metricDoc(word);
      return d === undefined ? undefined : `**${word}** (metric)\n\n${d}`;
    }
  }
  if (prev !== undefined && DURATION_AFTER.has(prev) && (verb === 'advance' || verb === 'fail' || verb === 'shutdown')) {
    const ms = parseDuration(word);
    if (ms !== undefined) return durationMarkdown(word, ms);
  }
  if (word === 'via' || word === 'missing' || ((word === 'for' || word === 'next' || word === 'key') && verb === 'fail') || (word === 'timeout' && verb === 'shutdown')) {
    const d = CLAUSE_DOCS[word];
    return d ? wordMarkdown(word, d) : undefined;
  }
  // The last word of `fail db next N writes | replies` says which fault: the same words as `next`.
  if (verb === 'fail' && ['write', 'writes', 'reply', 'replies'].includes(word) && prev !== undefined && /^\d+$/.test(prev)) {
    const d = CLAUSE_DOCS.next;
    return d ? wordMarkdown(word, d) : undefined;
  }
  const node = NODE_RE.exec(word)?.[1];
  if (node !== undefined && (prev === 'via' || ((verb === 'crash' || verb === 'shutdown' || verb === 'restart') && prev === 'cache'))) {
    return `**${word}**\n\nCache node ${node}. Nodes are independent caches (say, one per app server) in front of the one database; \`set cache.nodes\` decides how many exist.`;
  }
  return undefined;
}

/**
 * Hover at a 0-based line and column (VS Code's Position). Null on whitespace, comments, JSON values and words with
 * nothing to explain. Never throws, whatever the text and position.
 */
export function hoverAt(text: string, line: number, column: number): ScenarioHover | null {
  if (!Number.isInteger(line) || !Number.isInteger(column) || line < 0 || column < 0) return null;
  const lineText = splitLines(text)[line];
  if (lineText === undefined) return null;
  const tokens = lexLine(lineText);
  const i = tokens.findIndex((t) => t.start <= column && column < t.end);
  const tok = tokens[i];
  if (!tok) return null;
  const markdown = explain(tokens, i);
  return markdown === undefined ? null : { markdown, line, start: tok.start, end: tok.end };
}
