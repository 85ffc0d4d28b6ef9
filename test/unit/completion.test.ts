// Pins completion of `.cachescenario` files position by position, and checks that the TextMate grammar, the
// language configuration and the package.json contributions agree with the language's own tables.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { ScenarioCompletion } from '../../src/scenario/completion';
import { completeAt, wordRangeAt } from '../../src/scenario/completion';
import { COMPARE_OPS, EXPECTATION_KINDS, EXPECT_METRIC_NAMES, STATEMENT_KEYWORDS } from '../../src/scenario/parser';
import { SETTINGS } from '../../src/scenario/settings';
import { PRESETS } from '../../src/model/presets';
import { STRATEGIES } from '../../src/model/types';
import { parseDuration } from '../../src/scenario/values';

/** Completions with the cursor at the end of the last line of `text`. */
function atEnd(text: string): ScenarioCompletion[] {
  const lines = text.split('\n');
  const last = lines[lines.length - 1] ?? '';
  return completeAt(text, lines.length - 1, last.length);
}

function labels(text: string): string[] {
  return atEnd(text).map((i) => i.label);
}

const FILE = [
  'strategy write-behind',
  'set cache.nodes 3',
  'load product:1 {"price": 10}',
  'at 5ms as bob write user:7 {"name": "bob"}',
  'incr views:home',
  'expect db cart:3 missing',
  'read product:1 # again',
].join('\n');
const FILE_KEYS = ['product:1', 'user:7', 'views:home', 'cart:3'];

describe('completeAt: statements', () => {
  it('offers every statement keyword, with snippet text, at the start of a line', () => {
    const items = atEnd('strategy write-through\n');
    assert.deepEqual(items.map((i) => i.label), [...STATEMENT_KEYWORDS]);
    for (const i of items) {
      assert.equal(i.kind, 'keyword');
      assert.ok(i.insertText?.startsWith(i.label), i.label);
      assert.ok(i.documentation.length > 0, i.label);
    }
    assert.equal(items.find((i) => i.label === 'write')?.insertText, 'write ${1:product:1} ${2:{"price": 12\\}}');
  });

  it('offers the same keywords while the first word is half typed, and after leading spaces', () => {
    assert.deepEqual(labels('wri'), [...STATEMENT_KEYWORDS]);
    assert.deepEqual(labels('   '), [...STATEMENT_KEYWORDS]);
  });

  it('offers client operations and faults after "at DURATION", only operations after "as NAME"', () => {
    assert.deepEqual(labels('at 5ms '), ['write', 'incr', 'read', 'read-db', 'crash', 'shutdown', 'restart', 'fail', 'recover', 'as']);
    assert.deepEqual(labels('at 5ms as bob '), ['write', 'incr', 'read', 'read-db']);
    assert.deepEqual(labels('as bob r'), ['write', 'incr', 'read', 'read-db']);
  });

  it('offers example durations after at and advance, each a valid duration', () => {
    for (const text of ['at ', 'advance ', 'fail db for ']) {
      const items = atEnd(text);
      assert.ok(items.length > 0, text);
      for (const i of items) {
        assert.equal(i.kind, 'value');
        assert.notEqual(parseDuration(i.label), undefined, i.label);
      }
    }
  });

  it('offers client names used with "as" elsewhere in the file after "as"', () => {
    assert.deepEqual(labels(`${FILE}\nas `), ['bob']);
  });

  it('walks the fault forms word by word', () => {
    assert.deepEqual(labels('crash '), ['cache']);
    assert.deepEqual(labels('restart '), ['cache']);
    assert.deepEqual(labels('recover '), ['db']);
    assert.deepEqual(labels('recover db '), ['key']);
    assert.deepEqual(labels('load order:7 1\nrecover db key '), ['order:7']);
    assert.deepEqual(labels('fail '), ['db']);
    assert.deepEqual(labels('fail db '), ['for', 'next', 'key']);
    assert.deepEqual(labels('load order:7 1\nfail db key '), ['order:7']);
    assert.deepEqual(labels('fail db next 2 '), ['writes', 'replies']);
    assert.deepEqual(labels('fail db next 1 '), ['write', 'reply']);
  });
});

describe('completeAt: names', () => {
  it('offers exactly the strategies after "strategy ", also over a half-typed name', () => {
    for (const text of ['strategy ', 'strategy write-b']) {
      const items = atEnd(text);
      assert.deepEqual(items.map((i) => i.label), [...STRATEGIES]);
      assert.ok(items.every((i) => i.kind === 'strategy' && i.documentation.length > 0));
    }
    assert.deepEqual(labels('strategy write-behind '), []);
  });

  it('offers exactly the presets after "preset ", each with its product and summary', () => {
    const items = atEnd('preset ');
    assert.deepEqual(items.map((i) => i.label), PRESETS.map((p) => p.name));
    assert.deepEqual(items.map((i) => i.detail), PRESETS.map((p) => p.product));
    assert.deepEqual(items.map((i) => i.documentation), PRESETS.map((p) => p.summary));
    assert.ok(items.every((i) => i.kind === 'preset'));
  });

  it('offers every setting after "set ", plus the client delay pattern as a snippet', () => {
    const items = atEnd('set ');
    assert.deepEqual(items.map((i) => i.label), [...SETTINGS.map((s) => s.name), 'client.NAME.delay']);
    assert.deepEqual(items.slice(0, SETTINGS.length).map((i) => i.documentation), SETTINGS.map((s) => s.doc));
    assert.equal(items[items.length - 1]?.insertText, 'client.${1:bob}.delay ${2:5ms}');
    assert.ok(items.every((i) => i.kind === 'setting'));
  });

  it('offers exactly on/off for switches and the choices for enums', () => {
    assert.deepEqual(labels('set writeBehind.coalescing '), ['on', 'off']);
    assert.deepEqual(labels('set writeBehind.wal o'), ['on', 'off']);
    assert.deepEqual(labels('set writeBehind.whenFull '), ['block', 'reject', 'flush']);
  });

  it('offers durations, counts and off according to the setting kind', () => {
    const ttl = atEnd('set cache.ttl ');
    assert.equal(ttl[0]?.label, 'off');
    assert.ok(ttl.slice(1).every((i) => parseDuration(i.label) !== undefined));
    assert.ok(atEnd('set writeBehind.flushInterval ').every((i) => parseDuration(i.label) !== undefined));
    assert.ok(atEnd('set client.bob.delay ').every((i) => parseDuration(i.label) !== undefined));
    assert.deepEqual(labels('set cache.capacity '), ['1', '10', '100', '1000']);
    assert.deepEqual(labels('set writeBehind.maxQueue '), ['off', '1', '10', '100', '1000']);
    assert.deepEqual(labels('set no.such.setting '), []);
    assert.deepEqual(labels('set cache.ttl 5s '), []);
  });

  it('offers the metric names after "expect metric " and the operators after a metric', () => {
    const metrics = atEnd('expect metric ');
    assert.deepEqual(metrics.map((i) => i.label), [...EXPECT_METRIC_NAMES]);
    assert.ok(metrics.every((i) => i.kind === 'metric' && i.documentation.length > 0));
    assert.deepEqual(labels('expect metric lostWrites '), [...COMPARE_OPS]);
    assert.deepEqual(labels('expect metric writeLatencyMs.p99 <'), [...COMPARE_OPS]);
    assert.deepEqual(labels('expect metric nonsense '), []);
  });

  it('offers the expectation kinds after "expect "', () => {
    assert.deepEqual(labels('expect '), [...EXPECTATION_KINDS]);
  });
});

describe('completeAt: keys and nodes', () => {
  it('offers the keys used elsewhere in the file, in order of first use, after every keyed statement', () => {
    for (const start of ['write ', 'read ', 'read-db ', 'incr ', 'load ', 'expect db ', 'expect cache ', 'at 1s as ann read ', 'read prod']) {
      const items = atEnd(`${FILE}\n${start}`);
      assert.deepEqual(items.map((i) => i.label), FILE_KEYS, start);
      assert.ok(items.every((i) => i.kind === 'key'));
    }
  });

  it('does not offer the key being typed on the cursor line itself', () => {
    assert.deepEqual(labels('read brand-new'), []);
  });

  it("offers node1..nodeN after via, as many as the run's cache.nodes sets", () => {
    const three = 'strategy write-through\nset cache.nodes 3\n';
    assert.deepEqual(labels(`${three}read product:1 via `), ['node1', 'node2', 'node3']);
    assert.deepEqual(labels(`${three}write k {"a": 1} via `), ['node1', 'node2', 'node3']);
    assert.deepEqual(labels(`${three}expect cache k via n`), ['node1', 'node2', 'node3']);
    assert.deepEqual(labels(`${three}crash cache `), ['node1', 'node2', 'node3']);
    assert.ok(atEnd(`${three}read k via `).every((i) => i.kind === 'node'));
    assert.deepEqual(labels('read product:1 via '), ['node1']);
    // The count the run uses, as in the parser's node check: the last valid set line, wherever it stands. (Only the
    // lines above counted: node2 was missing under a set line below, node2 and node3 were offered above a `set
    // cache.nodes 1` below, and `set cache.nodes 20`, which the parser refuses, offered node1..node20.)
    const via = 'read k via ';
    assert.deepEqual(completeAt(`${via}\nset cache.nodes 3`, 0, via.length).map((i) => i.label), ['node1', 'node2', 'node3']);
    assert.deepEqual(completeAt(`set cache.nodes 3\n${via}\nset cache.nodes 1`, 1, via.length).map((i) => i.label), ['node1']);
    assert.deepEqual(labels(`set cache.nodes 20\n${via}`), ['node1']);
    assert.deepEqual(labels(`set cache.nodes 0\n${via}`), ['node1']);
    assert.deepEqual(labels(`wrte k 1\nset cache.nodes 2 # two\nset cache.nodes 2 3\n${via}`), ['node1', 'node2']);
    // load and expect value take no via (the parser says why): no node after one, whatever the value.
    for (const l of ['load k 1 via ', 'load k {"a": 1} via ', 'expect value 1 via ', 'expect value {"a": 1} via ', 'expect value missing via ']) {
      assert.deepEqual(labels(`${three}${l}`), [], l);
    }
  });

  it('offers via after the key of read and incr, and == or missing in expect db/cache', () => {
    assert.deepEqual(labels('read k '), ['via']);
    assert.deepEqual(labels('incr k '), ['via']);
    assert.deepEqual(labels('incr k 5 '), ['via']);
    assert.deepEqual(labels('expect db k '), ['==', 'missing']);
    assert.deepEqual(labels('expect cache k '), ['via', '==', 'missing']);
    assert.deepEqual(labels('set cache.nodes 2\nexpect cache k via node2 '), ['==', 'missing']);
    assert.deepEqual(labels('expect cache k missing '), ['via']);
    assert.deepEqual(labels('set cache.nodes 2\nexpect cache k via node2 missing '), []);
  });

  it('offers missing after expect value (the JSON value is typed freely)', () => {
    assert.deepEqual(labels('expect value '), ['missing']);
  });
});

describe('completeAt: where there is nothing to offer', () => {
  it('stays quiet in comments, inside JSON, and past the file or line', () => {
    assert.deepEqual(labels('# strategy '), []);
    assert.deepEqual(labels('read k # via '), []);
    assert.deepEqual(labels('write k {"note": "strategy '), []);
    assert.deepEqual(labels('write k {"note": 1, '), []);
    assert.deepEqual(labels('expect value 1 '), []);
    assert.deepEqual(labels('expect value missing '), []);
    assert.deepEqual(completeAt('strategy ', 5, 0), []);
    assert.deepEqual(completeAt('strategy ', -1, 0), []);
    assert.deepEqual(completeAt('strategy ', 0, -3), []);
    assert.deepEqual(completeAt('strategy ', 0.5, 1), []);
  });

  it('clamps a column past the end of the line to the end', () => {
    assert.deepEqual(completeAt('strategy ', 0, 99).map((i) => i.label), [...STRATEGIES]);
  });
});

describe('wordRangeAt', () => {
  it('spans the space-separated word around the column, punctuation included', () => {
    const line = 'strategy write-th rest';
    assert.deepEqual(wordRangeAt(line, 14), { start: 9, end: 17 });
    assert.deepEqual(wordRangeAt(line, 9), { start: 9, end: 17 });
    assert.deepEqual(wordRangeAt('set writeBehind.fl', 18), { start: 4, end: 18 });
    assert.deepEqual(wordRangeAt('read ', 5), { start: 5, end: 5 });
    assert.deepEqual(wordRangeAt('', 3), { start: 0, end: 0 });
  });
});

/**
 * Any UTF-16 code unit, lone surrogates included, with the language's separators weighted up. (A hand-made unit:
 * fast-check's own 'binary' unit spends seconds building a lookup table in its CommonJS build.)
 */
const anyCodeUnit = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  fc.constantFrom(' ', '\t', '\n', '\r', '#', '"', '{', '\\'),
);

/** Text made of the language's own words, so the property reaches deep positions, not only "unknown statement". */
const scenarioish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        ...STATEMENT_KEYWORDS, ...STRATEGIES, ...SETTINGS.map((s) => s.name), 'via', 'node2', 'cache', 'db', 'for', 'next',
        'metric', 'lostWrites', '==', '<=', 'missing', '5s', '1.5s', '{"a":', '"x#y"', '"', '\\', '#', '{', '[', 'k:1', '-3',
      ),
      fc.constantFrom(' ', ' ', '\t', '\n', '\r\n', '\r'),
      fc.string({ unit: anyCodeUnit, maxLength: 6 }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

describe('completeAt: robustness', () => {
  function wellFormed(text: string, line: number, column: number): void {
    const items = completeAt(text, line, column);
    assert.ok(Array.isArray(items));
    for (const i of items) {
      assert.equal(typeof i.label, 'string');
      assert.ok(i.label.length > 0);
      assert.equal(typeof i.documentation, 'string');
    }
  }
  const line = fc.integer({ min: -2, max: 12 });
  const column = fc.integer({ min: -2, max: 120 });

  it('never throws and returns well-formed items, for any scenario-like text and position', () => {
    fc.assert(fc.property(scenarioish, line, column, wellFormed), { numRuns: 500 });
  });

  it('never throws and returns well-formed items, for any string and position', () => {
    fc.assert(fc.property(fc.string({ unit: anyCodeUnit, maxLength: 80 }), line, column, wellFormed), { numRuns: 500 });
  });
});

describe('grammar, language configuration and contributions', () => {
  const root = join(__dirname, '..', '..');
  const readJson = (path: string): unknown => JSON.parse(readFileSync(join(root, path), 'utf8'));

  interface Rule {
    match?: string;
    begin?: string;
    end?: string;
    name?: string;
    patterns?: Rule[];
    include?: string;
    captures?: Record<string, Rule>;
  }
  const grammar = readJson('syntaxes/cachescenario.tmLanguage.json') as { scopeName: string; patterns: Rule[]; repository: Record<string, Rule> };

  /** Every rule of the grammar, nested ones included. */
  function allRules(): Rule[] {
    const out: Rule[] = [];
    const walk = (r: Rule): void => {
      out.push(r);
      for (const p of r.patterns ?? []) walk(p);
      for (const c of Object.values(r.captures ?? {})) walk(c);
    };
    for (const r of [...grammar.patterns, ...Object.values(grammar.repository)]) walk(r);
    return out;
  }

  /** The JavaScript reading of a rule's regex: Oniguruma and JavaScript agree on the subset this grammar uses. */
  function regex(rule: Rule | undefined, field: 'match' | 'begin' = 'match'): RegExp {
    const source = rule?.[field];
    assert.ok(source, `rule without ${field}`);
    return new RegExp(source);
  }

  /** The texts a rule's capture group `group` takes in `line`; a rule with sub-patterns is searched whole. */
  function captured(rule: Rule, line: string, group: number): string | undefined {
    const rules = rule.patterns ?? [rule];
    for (const r of rules) {
      const m = regex(r).exec(line);
      if (m) return m[group];
    }
    return undefined;
  }

  it('parses, names the scope source.cachescenario and includes every repository rule it uses', () => {
    assert.equal(grammar.scopeName, 'source.cachescenario');
    for (const r of allRules()) {
      if (r.include?.startsWith('#')) assert.ok(grammar.repository[r.include.slice(1)], r.include);
    }
  });

  it('has regexes JavaScript accepts, none of which matches an empty string (that would stop a line)', () => {
    for (const r of allRules()) {
      for (const field of ['match', 'begin'] as const) {
        if (r[field] === undefined) continue;
        const re = new RegExp(r[field] ?? '', 'g');
        for (const line of ['', '   ', 'frobnicate 12', 'read k']) {
          for (const m of line.matchAll(re)) assert.notEqual(m[0].length, 0, `${r[field]} matched "" in "${line}"`);
        }
      }
    }
  });

  it('scopes # comments as comment.line.number-sign, before every other rule', () => {
    assert.deepEqual(grammar.patterns[0], { include: '#comment' });
    const comment = grammar.repository['comment'];
    assert.match(comment?.name ?? '', /^comment\.line\.number-sign\./);
    assert.equal(regex(comment).exec('read k # why')?.index, 7);
  });

  it('scopes every statement keyword at the start of a line, and no other word', () => {
    const rule = grammar.repository['statement-keyword'];
    assert.match(rule?.captures?.['1']?.name ?? '', /^keyword\.control\./);
    for (const k of STATEMENT_KEYWORDS) {
      assert.equal(regex(rule).exec(`  ${k} x`)?.[1], k, k);
      assert.equal(regex(rule).exec(`${k}`)?.[1], k, k);
    }
    for (const w of ['frobnicate', 'reader', 'writes', 'x read']) assert.equal(regex(rule).exec(w), null, w);
  });

  it('knows every strategy, preset, setting and metric name of the language', () => {
    const repo = grammar.repository;
    assert.ok(repo['strategy'] && repo['preset'] && repo['set'] && repo['expect']);
    for (const s of STRATEGIES) assert.equal(captured(repo['strategy'], `strategy ${s} # c`, 2), s);
    for (const p of PRESETS) assert.equal(captured(repo['preset'], `preset ${p.name}`, 2), p.name);
    for (const s of SETTINGS) assert.equal(captured(repo['set'], `set ${s.name} 1`, 2), s.name);
    assert.equal(captured(repo['set'], 'set client.bob.delay 5ms', 3), 'client.bob.delay');
    for (const m of EXPECT_METRIC_NAMES) assert.equal(captured(repo['expect'], `expect metric ${m} == 0`, 3), m);
  });

  it('scopes durations with their unit, and the comparison operators', () => {
    assert.deepEqual(regex(grammar.repository['duration']).exec('advance 1.5s')?.slice(1, 3), ['1.5', 's']);
    assert.equal(regex(grammar.repository['duration']).exec('read k:5s'), null);
    for (const op of COMPARE_OPS) assert.equal(regex(grammar.repository['operator']).exec(`x ${op} 1`)?.[0], op);
  });

  it('has a language configuration with # comments, brackets and auto-closing pairs', () => {
    const config = readJson('language-configuration.json') as {
      comments: { lineComment: string };
      brackets: string[][];
      autoClosingPairs: { open: string; close: string }[];
    };
    assert.equal(config.comments.lineComment, '#');
    assert.deepEqual(config.brackets, [['{', '}'], ['[', ']']]);
    assert.deepEqual(config.autoClosingPairs.map((p) => p.open + p.close), ['{}', '[]', '""']);
  });

  it('contributes the language and grammar with paths that exist', () => {
    const c = (readJson('docs/language-contributions.json') as {
      contributes: {
        languages: { id: string; extensions: string[]; configuration: string }[];
        grammars: { language: string; scopeName: string; path: string }[];
      };
    }).contributes;
    const lang = c.languages[0];
    const grammarEntry = c.grammars[0];
    assert.equal(lang?.id, 'cachescenario');
    assert.deepEqual(lang?.extensions, ['.cachescenario']);
    assert.ok(existsSync(join(root, lang?.configuration ?? '')));
    assert.equal(grammarEntry?.language, 'cachescenario');
    assert.equal(grammarEntry?.scopeName, grammar.scopeName);
    assert.ok(existsSync(join(root, grammarEntry?.path ?? '')));
  });
});
