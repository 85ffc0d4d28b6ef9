// Quick fixes: a diagnostic that says which word it meant offers exactly that word for exactly the misspelt one.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../../src/scenario/parser';
import { suggestedLine, suggestedLineFix, suggestedReplacement } from '../../src/scenario/fixes';
import type { LineFix } from '../../src/scenario/fixes';

/** Each diagnostic of `text` with the text its range covers and the replacement it suggests. */
function fixesOf(text: string): { word: string; fix: string | undefined }[] {
  const lines = text.split('\n');
  return parseScenario(text).diagnostics.map((d) => {
    const word = (lines[d.line - 1] ?? '').slice(d.column - 1, d.endColumn - 1);
    return { word, fix: suggestedReplacement(d.message, word) };
  });
}

describe('quick fixes for misspelt words', () => {
  const typos = [
    'strategy write-behnid',
    'preset hazelcst',
    'set writeBehind.flushIntervall 1s',
    'set writeBehind.whenFull blok',
    'wirte k 1',
    'expect metric staleRead == 0',
    'expect metric reads =< 3',
    'expect metric writeLatencyMs.p98 < 20',
  ];

  it('suggest the word each message names, for the word its range covers', () => {
    assert.deepEqual(fixesOf(typos.join('\n')), [
      { word: 'write-behnid', fix: 'write-behind' },
      { word: 'hazelcst', fix: 'hazelcast' },
      { word: 'writeBehind.flushIntervall', fix: 'writeBehind.flushInterval' },
      { word: 'blok', fix: 'block' },
      { word: 'wirte', fix: 'write' },
      { word: 'staleRead', fix: 'staleReads' },
      { word: '=<', fix: '<=' },
      { word: 'writeLatencyMs.p98', fix: 'writeLatencyMs.p99' },
    ]);
  });

  // Messages quote a word with its invisible characters escaped ("write-behind\u200b"); the fix compared that quote
  // with the raw text of the range, so a word pasted with a zero-width space or a soft hyphen lost its quick fix.
  it('offer the fix for a word with an invisible character in it, which the message quotes escaped', () => {
    assert.deepEqual(fixesOf('strategy write-behind\u200b'), [{ word: 'write-behind\u200b', fix: 'write-behind' }]);
    assert.deepEqual(fixesOf('strategy write-through\npreset hazel\u00adcast'), [{ word: 'hazel\u00adcast', fix: 'hazelcast' }]);
    // A space other than the plain one still splits nothing and is fixed by nobody: no edit over two words.
    assert.deepEqual(fixesOf('strategy write-through\nread\u2003k'), [{ word: 'read\u2003k', fix: undefined }]);
  });

  it('turn another name of a strategy into its name here', () => {
    assert.deepEqual(fixesOf('strategy write-back'), [{ word: 'write-back', fix: 'write-behind' }]);
    assert.deepEqual(fixesOf('strategy lazy-loading'), [{ word: 'lazy-loading', fix: 'cache-aside' }]);
  });

  it('leave a scenario that parses cleanly once every fix is applied', () => {
    const text = typos.join('\n');
    const lines = text.split('\n');
    // Right to left within a line, so earlier columns stay where the diagnostics put them.
    const ds = [...parseScenario(text).diagnostics].sort((a, b) => a.line - b.line || b.column - a.column);
    for (const d of ds) {
      const line = lines[d.line - 1] as string;
      const fix = suggestedReplacement(d.message, line.slice(d.column - 1, d.endColumn - 1));
      assert.ok(fix !== undefined, `no fix for line ${d.line}: ${d.message}`);
      lines[d.line - 1] = line.slice(0, d.column - 1) + fix + line.slice(d.endColumn - 1);
    }
    assert.deepEqual(parseScenario(lines.join('\n')).diagnostics, []);
  });

  it('reach a misspelt word inside a longer line: after at and as, in faults, in client delays and on/off values', () => {
    const lines = [
      'at 5s wirte k 1',
      'as bob raed k',
      'at 2s as bob incrr k',
      'at 9s crahs cache',
      'crash cahce node2',
      'restart cahe',
      'fail db nxt 2 writes',
      'fail db fro 5s',
      'recover dv',
      'set client.bob.dealy 5ms',
      'set writeBehind.wal onn',
      'set cache.ttl of',
      'set writeBehind.flushSize of',
    ];
    assert.deepEqual(fixesOf(['strategy write-behind', ...lines].join('\n')), [
      { word: 'wirte', fix: 'write' },
      { word: 'raed', fix: 'read' },
      { word: 'incrr', fix: 'incr' },
      { word: 'crahs', fix: 'crash' },
      { word: 'cahce', fix: 'cache' },
      { word: 'cahe', fix: 'cache' },
      { word: 'nxt', fix: 'next' },
      { word: 'fro', fix: 'for' },
      { word: 'dv', fix: 'db' },
      { word: 'client.bob.dealy', fix: 'client.bob.delay' },
      { word: 'onn', fix: 'on' },
      { word: 'of', fix: 'off' },
      { word: 'of', fix: 'off' },
    ]);
  });

  it('keep the hints that say what to write instead, rather than guessing a word', () => {
    // A client's name is not an operation, the database is not a cache, and a bare number could be in ms or in s: the
    // message explains, no fix is offered. A unit spelt out has one meaning: that one is fixed.
    assert.deepEqual(fixesOf('strategy write-behind\ncrash db\nfail cache for 5s\nset cache.ttl 5\nset cache.ttl 5sec'), [
      { word: 'db', fix: undefined },
      { word: 'cache', fix: undefined },
      { word: '5', fix: undefined },
      { word: '5sec', fix: '5s' },
    ]);
  });

  it('offer nothing when the message names no word, or its range is not the quoted word', () => {
    assert.equal(suggestedReplacement('expected a duration like 250ms, 5s or 2m, got "5 sec"', '5 sec'), undefined);
    assert.equal(suggestedReplacement('unknown preset "hazelcst"; expected one of hazelcast; did you mean "hazelcast"?', 'preset hazelcst'), undefined);
    assert.equal(suggestedReplacement('unknown preset "hazelcst"; expected one of hazelcast; did you mean "hazelcast"?', 'hazel'), undefined);
    assert.equal(suggestedReplacement('unknown preset "hazelcst"; did you mean "hazelcast"?', ''), undefined);
    // A word far from every candidate gets no suggestion from the parser, so no fix.
    assert.deepEqual(fixesOf('strategy zzzzzzzzzzzz'), [{ word: 'zzzzzzzzzzzz', fix: undefined }]);
  });
});

describe('quick fix that adds a line', () => {
  it('the Hazelcast queue-bound warning asks for coalescing off; added below the bound, the warning goes and the bound is kept as Hazelcast keeps it', () => {
    const lines = ['strategy write-behind', 'preset hazelcast', 'set writeBehind.maxQueue 50', 'write a 1'];
    const [d] = parseScenario(lines.join('\n')).diagnostics;
    assert.ok(d !== undefined);
    const add = suggestedLine(d.message);
    assert.equal(add, 'set writeBehind.coalescing off');
    lines.splice(d.line, 0, add);
    assert.deepEqual(parseScenario(lines.join('\n')).diagnostics, []);
  });

  it('no other diagnostic asks for a line', () => {
    for (const d of parseScenario(['strategy write-behnid', 'wirte k 1', 'advance 5 sec', 'read k', 'load k 1'].join('\n')).diagnostics) {
      assert.equal(suggestedLine(d.message), undefined, d.message);
    }
  });

  /** The text with `fix` applied, as the quick fix edits the document. */
  function applied(lines: string[], fix: LineFix): string[] {
    const out = [...lines];
    if (fix.kind === 'insert') out.splice(fix.below, 0, fix.text);
    else {
      const l = out[fix.line - 1] ?? '';
      out[fix.line - 1] = l.slice(0, fix.column - 1) + fix.text + l.slice(fix.endColumn - 1);
    }
    return out;
  }

  it('a line that sets coalescing on, before or after the bound, is changed rather than outvoted: the warning goes, one coalescing line is left', () => {
    const cases: [string[], string[]][] = [
      [
        ['strategy write-behind', 'preset hazelcast', 'set writeBehind.maxQueue 50', 'set writeBehind.coalescing on # as Hazelcast', 'write a 1'],
        ['strategy write-behind', 'preset hazelcast', 'set writeBehind.maxQueue 50', 'set writeBehind.coalescing off # as Hazelcast', 'write a 1'],
      ],
      [
        ['strategy write-behind', 'preset hazelcast', '  set writeBehind.coalescing on', 'set writeBehind.maxQueue 50 # bound'],
        ['strategy write-behind', 'preset hazelcast', '  set writeBehind.coalescing off', 'set writeBehind.maxQueue 50 # bound'],
      ],
      [
        ['strategy write-behind', 'preset hazelcast', 'set writeBehind.maxQueue 50 # bound', 'write a 1'],
        ['strategy write-behind', 'preset hazelcast', 'set writeBehind.maxQueue 50 # bound', 'set writeBehind.coalescing off', 'write a 1'],
      ],
    ];
    for (const [lines, expected] of cases) {
      const program = parseScenario(lines.join('\n'));
      const [d] = program.diagnostics;
      assert.ok(d !== undefined, lines.join('\n'));
      const fix = suggestedLineFix(d.message, d.line, program);
      assert.ok(fix !== undefined, d.message);
      const fixed = applied(lines, fix);
      assert.deepEqual(fixed, expected);
      assert.deepEqual(parseScenario(fixed.join('\n')).diagnostics, [], fixed.join('\n'));
    }
  });

  it('the warning says which line to change when a line of its own turns coalescing on', () => {
    const [d] = parseScenario('strategy write-behind\npreset hazelcast\nset writeBehind.maxQueue 50\nset writeBehind.coalescing on').diagnostics;
    assert.match(d?.message ?? '', /: change line 4 to set writeBehind\.coalescing off to run what Hazelcast does$/);
    assert.equal(suggestedLine(d?.message ?? ''), 'set writeBehind.coalescing off');
  });
});
