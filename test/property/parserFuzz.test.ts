// Fuzzes the `.cachescenario` parser: for any text, and for damaged versions of valid scenarios, it must not throw
// and every diagnostic and span must point inside the text, as the editor's squiggles and the CLI's carets assume.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseScenario } from '../../src/scenario/parser';

const RUNS = 2000;

/** Lines of valid statements; the head lines make the cross-line checks (nodes, earlier reads) pass. */
const CORPUS = [
  'strategy write-behind',
  'preset ignite',
  'set cache.nodes 3',
  'set cache.ttl 1h',
  'set cache.ttl off',
  'set writeBehind.flushInterval 1.5s',
  'set writeBehind.coalescing on',
  'set writeBehind.whenFull reject',
  'set client.bob.delay 5ms',
  'load product:1 {"price": 10, "tags": ["a", "b#c"]}',
  'read seed',
  'write product:1 {"price": 12}',
  'write k {"a": "via node2"} via node2',
  'write k "say \\"hi\\" # not a comment" # a comment',
  'incr views:home',
  'incr views:home -5 via node3',
  'read product:1 via node2',
  'read-db product:1',
  'at 5ms as bob read product:1',
  'at 0ms write k [1, 2, {"x": null}]',
  'as alice incr c 2',
  'advance 30s',
  'crash cache',
  'at 31s crash cache node2',
  'restart cache node2',
  'fail db for 10s',
  'fail db next 2 writes',
  'fail db next 1 write',
  'at 2m recover db',
  'expect value {"price": 12}',
  'expect error',
  'expect ok',
  'expect stale',
  'expect fresh',
  'expect db product:1 == {"price": 12}',
  'expect db product:1 missing',
  'expect cache product:1 via node2 == {"price": 12}',
  'expect cache product:1 missing',
  'expect metric lostWrites == 0',
  'expect metric writeLatencyMs.p99 <= 12.5',
  '# a comment',
  '',
];
const HEAD = ['strategy write-behind', 'set cache.nodes 3', 'read seed'];

/** Characters that matter to the lexer and parser, plus some that should merely be survived. */
const SPICE = [' ', '\t', '#', '"', '\\', '{', '}', '[', ']', ':', ',', '\r', '\n', '\u0000', '\uFEFF', 'é', '😀', '\uD800', '0', '9', '.', '-', 'a', 'v', 'ms', 'via', 'node'];

const separator = fc.constantFrom('\n', '\r\n', '\r');

/** Checks parseScenario's promises on `text`; fails the property on a throw or an out-of-range position. */
function checkParses(text: string): void {
  const p = parseScenario(text);
  const lines = text.split(/\r\n|\r|\n/);
  for (const d of p.diagnostics) {
    const len = lines[d.line - 1]?.length ?? -1;
    assert.ok(d.line >= 1 && d.line <= lines.length, `line ${d.line} of ${lines.length}`);
    assert.ok(Number.isInteger(d.column) && Number.isInteger(d.endColumn), JSON.stringify(d));
    // The contract allows lineLength + 2; the parser only needs that for a width-1 mark on an empty line, so hold it to that.
    const maxEnd = len === 0 ? 2 : len + 1;
    assert.ok(d.column >= 1 && d.column < d.endColumn && d.endColumn <= maxEnd, `${JSON.stringify(d)} on a line of ${len}`);
    assert.ok(d.severity === 'error' || d.severity === 'warning');
    assert.ok(d.message.length > 0 && d.message.length < 2000);
    assert.ok(!d.message.startsWith('internal parser error'), d.message);
  }
  for (const s of p.statements) {
    const len = lines[s.span.line - 1]?.length ?? -1;
    // Only the span goes in the message: the statement may carry a value too large to stringify cheaply.
    assert.ok(s.span.column >= 1 && s.span.column < s.span.endColumn && s.span.endColumn <= len + 1, `${s.kind} ${JSON.stringify(s.span)} on a line of ${len}`);
  }
  if (p.strategy !== undefined) assert.ok(p.statements.some((s) => s.kind === 'strategy' && s.strategy === p.strategy));
}

type Mutation = { at: number; kind: 'insert' | 'delete' | 'replace'; text: string };

function mutate(line: string, mutations: readonly Mutation[]): string {
  let s = line;
  for (const m of mutations) {
    const i = s.length === 0 ? 0 : m.at % (s.length + 1);
    if (m.kind === 'insert') s = s.slice(0, i) + m.text + s.slice(i);
    else if (m.kind === 'delete') s = s.slice(0, i) + s.slice(i + 1);
    else s = s.slice(0, i) + m.text + s.slice(i + 1);
  }
  return s;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(200),
  kind: fc.constantFrom('insert', 'delete', 'replace'),
  text: fc.oneof(fc.constantFrom(...SPICE), fc.string({ maxLength: 3 })),
});

const mutatedLine = fc
  .tuple(fc.constantFrom(...CORPUS), fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .map(([line, ms]) => mutate(line, ms));

const shuffledLine = fc
  .tuple(fc.constantFrom(...CORPUS), fc.infiniteStream(fc.nat()))
  .map(([line, stream]) => {
    const tokens = line.split(' ');
    const it = stream[Symbol.iterator]();
    for (let i = tokens.length - 1; i > 0; i--) {
      const j = (it.next().value ?? 0) % (i + 1);
      [tokens[i], tokens[j]] = [tokens[j] ?? '', tokens[i] ?? ''];
    }
    return tokens.join(' ');
  });

function joinLines(lines: readonly string[], seps: readonly string[]): string {
  return lines.map((l, i) => (i === 0 ? l : (seps[i % seps.length] ?? '\n') + l)).join('');
}

describe('parseScenario never throws and keeps positions in range', () => {
  it('holds for the valid corpus, which parses without diagnostics', () => {
    // Rows load before the run, so the corpus's load lines go above HEAD's read (a later one draws a warning).
    const body = CORPUS.filter((l) => !l.startsWith('strategy') && !l.startsWith('set') && !l.startsWith('preset'));
    const loads = body.filter((l) => l.startsWith('load'));
    const text = [...HEAD.slice(0, 2), ...loads, ...HEAD.slice(2), ...body.filter((l) => !l.startsWith('load'))].join('\n');
    const p = parseScenario(text);
    assert.deepEqual(p.diagnostics, []);
    checkParses(text);
  });

  it('holds for arbitrary unicode strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => checkParses(s)), { numRuns: RUNS });
  });

  it('holds for arbitrary UTF-16, lone surrogates included', () => {
    const unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
    fc.assert(fc.property(fc.string({ unit, maxLength: 200 }), (s) => checkParses(s)), { numRuns: RUNS });
  });

  it('holds for lorem lines', () => {
    const lorem = fc.array(fc.lorem({ maxCount: 8 }), { maxLength: 8 });
    fc.assert(fc.property(lorem, fc.array(separator, { minLength: 1 }), (lines, seps) => checkParses(joinLines(lines, seps))), { numRuns: RUNS });
  });

  it('holds for valid scenarios with characters inserted, deleted or replaced', () => {
    const lines = fc.array(fc.oneof(mutatedLine, fc.constantFrom(...CORPUS)), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(lines, fc.array(separator, { minLength: 1 }), fc.boolean(), (ls, seps, head) => {
        checkParses(joinLines(head ? [...HEAD, ...ls] : ls, seps));
      }),
      { numRuns: RUNS },
    );
  });

  it('holds for valid lines with their tokens shuffled', () => {
    const lines = fc.array(shuffledLine, { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(lines, fc.array(separator, { minLength: 1 }), (ls, seps) => checkParses(joinLines([...HEAD, ...ls], seps))),
      { numRuns: RUNS },
    );
  });

  it('holds for huge lines, deep nesting and NUL bytes', () => {
    const big = 'x'.repeat(1_000_000);
    for (const text of [
      big,
      `write k "${big}"`,
      `write k ${'['.repeat(200_000)}`,
      `load k ${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      `load k [${'1,'.repeat(500_000)}1]`,
      `set cache.ttl ${'9'.repeat(1000)}h`,
      `read k via node${'9'.repeat(1000)}`,
      `${'\u0000'.repeat(1000)}\nread\u0000k`,
      `strategy ${'write-through'.repeat(10_000)}`,
      'write k {"a": "unbalanced\nwrite k }}}]]]\n"\n\\',
    ]) {
      checkParses(text);
    }
  });
});
