// Scenario-language behaviour a mutation audit found unpinned: each test fails if one small break of
// `src/scenario/parser.ts`, `completion.ts` or `hover.ts` (named in its comment) is made, with the exact diagnostics
// (line, column, end column, severity, message), statements, completion labels or hover text they produce.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic, Statement } from '../../src/scenario/ast';
import { parseScenario } from '../../src/scenario/parser';
import { completeAt, wordRangeAt } from '../../src/scenario/completion';
import { hoverAt } from '../../src/scenario/hover';

const S = 'strategy write-through\n';

function error(line: number, column: number, endColumn: number, message: string): Diagnostic {
  return { severity: 'error', line, column, endColumn, message };
}

function warning(line: number, column: number, endColumn: number, message: string): Diagnostic {
  return { severity: 'warning', line, column, endColumn, message };
}

/** Every diagnostic of `text`. */
function diagnostics(text: string): Diagnostic[] {
  return parseScenario(text).diagnostics;
}

/** The statements after the strategy line of `S + text`, which must parse without a diagnostic. */
function statements(text: string): Statement[] {
  const p = parseScenario(S + text);
  assert.deepEqual(p.diagnostics, []);
  return p.statements.slice(1);
}

describe('did you mean', () => {
  // Break: a word of two letters counted as the start of a longer name (`me` -> metric), as three letters do.
  it('offers no name a two-letter word merely starts', () => {
    assert.deepEqual(diagnostics(`${S}expect me`), [
      error(2, 8, 10, 'unknown expectation "me"; expected one of value, error, ok, stale, fresh, db, cache, metric'),
    ]);
  });

  // Break: after `as NAME`, a misspelt word was measured against the faults too, which `as` cannot take.
  it('after as NAME, measures a misspelt operation against the client operations only', () => {
    assert.deepEqual(diagnostics(`${S}as bob crahs k`), [
      error(2, 8, 13, 'expected a client operation (write, incr, read, read-db) after as bob, got "crahs"'),
    ]);
  });
});

describe('strategy, preset and set lines', () => {
  // Break: `strategy NAME` no longer checked that the line ends there.
  it('refuses words after the strategy name', () => {
    const p = parseScenario('strategy write-behind now');
    assert.deepEqual(p.diagnostics, [error(1, 23, 26, 'unexpected "now"; expected end of line')]);
    assert.equal(p.strategy, undefined);
  });

  // Break: a file without a strategy line was checked as write-behind (the preset warning lost, Hazelcast's cap warning
  // given instead), though it runs write-through.
  it('checks a file without a strategy line as the write-through run it is', () => {
    assert.deepEqual(diagnostics('preset hazelcast\nset writeBehind.maxQueue 50'), [
      warning(1, 1, 17, 'no strategy line; the run will use write-through'),
      warning(1, 1, 17, 'preset hazelcast sets write-behind knobs, which write-through does not use: it changes nothing in this run'),
    ]);
  });

  // Break: a preset after the run has started drew no warning.
  it('warns about a preset after the run has started', () => {
    assert.deepEqual(diagnostics('strategy write-behind\nwrite k 1\npreset ignite'), [
      warning(3, 1, 14, 'presets apply to the whole run; move this preset above line 2'),
    ]);
  });

  // Break: the preset warning named the last writeBehind set line instead of the first.
  it('names the first writeBehind setting a late preset comes after', () => {
    assert.deepEqual(diagnostics('strategy write-behind\nset writeBehind.batchSize 1\nset writeBehind.wal on\npreset ignite'), [
      warning(4, 1, 14, 'a preset applies before every set line, so the writeBehind settings from line 2 on keep their values; move this preset above them'),
    ]);
  });

  // Break: the Hazelcast queue-bound warning read the first set line of a setting instead of the last, which the run uses.
  it('judges the Hazelcast queue bound by the last maxQueue and coalescing lines', () => {
    // (The earlier line of a setting set twice draws its own warning, left out here: idleLines.test.ts.)
    const cap = (source: string) => diagnostics(source).filter((d) => !/ is set again on line /.test(d.message));
    assert.deepEqual(cap('strategy write-behind\npreset hazelcast\nset writeBehind.maxQueue 50\nset writeBehind.maxQueue off'), []);
    assert.deepEqual(cap('strategy write-behind\npreset hazelcast\nset writeBehind.coalescing on\nset writeBehind.coalescing off\nset writeBehind.maxQueue 50'), []);
  });

  // Break: an unknown enum value's error covered only its first word.
  it('covers every word of an unknown setting value', () => {
    assert.deepEqual(diagnostics(`${S}set writeBehind.whenFull blok now`), [
      error(2, 26, 34, 'unknown value "blok now" for writeBehind.whenFull; expected one of block, reject, flush'),
    ]);
  });

  // Break: a TTL of a fraction of a millisecond no longer said how many milliseconds it is when written in another unit.
  it('gives a fractional TTL in milliseconds when it was written in another unit', () => {
    assert.deepEqual(diagnostics(`${S}set cache.ttl 0.0015s`), [
      error(2, 15, 22, 'cache.ttl must be a whole number of milliseconds, got 0.0015s (1.5 ms)'),
    ]);
    assert.deepEqual(diagnostics(`${S}set cache.ttl 1.5ms`), [error(2, 15, 20, 'cache.ttl must be a whole number of milliseconds, got 1.5ms')]);
  });

  // Break: a setting of exactly 365 days (8760h), the longest duration allowed, was refused as too long.
  it('accepts a setting of exactly 8760h', () => {
    assert.deepEqual(statements('set writeBehind.flushInterval 8760h'), [
      { kind: 'set', name: 'writeBehind.flushInterval', value: 31_536_000_000, span: { line: 2, column: 1, endColumn: 36 } },
    ]);
  });
});

describe('durations', () => {
  // Break: an `at` of exactly 365 days (8760h) was refused as too long.
  it('accepts at 8760h', () => {
    assert.deepEqual(statements('at 8760h read k'), [
      { kind: 'op', op: { kind: 'read', key: 'k' }, placement: { at: 31_536_000_000, client: 'app', node: undefined }, span: { line: 2, column: 1, endColumn: 16 } },
    ]);
  });

  // Break: a number without its unit was offered only the units that make a duration under a year, not up to one.
  it('offers the unit that makes a number exactly a year', () => {
    assert.deepEqual(diagnostics(`${S}advance 31536000`), [
      error(2, 9, 17, 'expected a duration like 250ms, 5s or 2m, got "31536000": a duration needs its unit, like 31536000ms or 31536000s'),
    ]);
  });

  // Break: `fail db for` with no duration pointed at `fail` instead of `for`, the word the duration belongs after.
  it('points at for when fail db for has no duration', () => {
    assert.deepEqual(diagnostics(`${S}fail db for`), [error(2, 9, 12, 'expected a duration like 250ms, 5s or 2m after for')]);
  });
});

describe('clients and faults', () => {
  // Break: the words before the operation were joined with a leading space when there is no `at` (`after  as bob`).
  it('echoes as NAME, without at, as written', () => {
    assert.deepEqual(diagnostics(`${S}as bob advance 1s`), [
      error(2, 8, 15, 'expected a client operation (write, incr, read, read-db) after as bob, got "advance"'),
    ]);
  });

  // Break: a fault's name after `as` was taken for a client name.
  it('takes a fault written after as for the operation, not the client', () => {
    assert.deepEqual(diagnostics(`${S}as crash cache`), [
      error(2, 4, 9, 'expected a client name after as, got the operation "crash": name the client first, as in as bob crash ...'),
    ]);
  });

  // Break: `crash cache nodeN` no longer checked that the line ends there.
  it('refuses words after crash cache nodeN', () => {
    assert.deepEqual(diagnostics(`${S}crash cache node1 extra`), [error(2, 19, 24, 'unexpected "extra"; expected end of line')]);
  });

  // Break: a negative count of writes too large to hold was called too large rather than below 1.
  it('says a huge negative count of failing writes is below 1, not too large', () => {
    assert.deepEqual(diagnostics(`${S}fail db next -99999999999999999999 writes`), [
      error(2, 14, 35, 'expected how many writes fail (a whole number, at least 1), as in fail db next 2 writes, got "-99999999999999999999"'),
    ]);
  });
});

describe('expectations', () => {
  // Break: `expect cache K via nodeN` with nothing after still offered "(or via nodeN first)", which it already has.
  it('does not offer a via to an expect cache that has one', () => {
    assert.deepEqual(diagnostics(`${S}expect cache k via node1`), [error(2, 20, 25, 'expected == JSON or missing after node1')]);
  });
});

/** Completion labels at the end of the last line of `text`. */
function labels(text: string): string[] {
  const lines = text.split('\n');
  return completeAt(text, lines.length - 1, (lines.at(-1) ?? '').length).map((i) => i.label);
}

/** The hover over the `nth` (0-based) occurrence of `word` on the one line `text`. */
function hover(text: string, word: string, nth = 0): ReturnType<typeof hoverAt> {
  let at = -1;
  for (let k = 0; k <= nth; k++) at = text.indexOf(word, at + 1);
  return hoverAt(text, 0, at);
}

describe('completion', () => {
  // Break: a negative amount (`incr k -5`) was not taken for one, so no via was offered after it.
  it('offers via after a negative incr amount', () => {
    assert.deepEqual(labels('incr k -5 '), ['via']);
  });

  // Break: the inside of a JSON string that starts the word being typed was completed (`missing` inside "mis).
  it('offers nothing inside a JSON string being typed', () => {
    assert.deepEqual(labels('expect value "mis'), []);
  });

  // Break: example counts above a setting's maximum were offered (10, 100, 1000 for cache.nodes, which stops at 8).
  it("offers only the example counts within the setting's range", () => {
    assert.deepEqual(labels('set cache.nodes '), ['1']);
  });

  // Break: a tab no longer separated words, so a chosen item replaced the words before it too.
  it('ends the word being replaced at a tab', () => {
    assert.deepEqual(wordRangeAt('read\tk', 5), { start: 5, end: 6 });
  });
});

describe('hover', () => {
  // Break: a client named `as` (`as as read k`) was explained as the keyword.
  it('explains the word after as as the client name, even when it is as', () => {
    assert.deepEqual(hover('as as read k', 'as', 1), {
      markdown: "**client `as`**\n\nA named client: its operations run one after another, overlapping other clients'.",
      line: 0,
      start: 3,
      end: 5,
    });
  });

  // Break: `next` and `for` were explained as fault clauses outside `fail db` (here a key named next).
  it('says nothing over a key named next', () => {
    assert.equal(hover('read next', 'next'), null);
  });

  // Break: a metric name with a part after its field (`writeLatencyMs.p99.x`) was documented as the field.
  it('says nothing over a latency field with more after it', () => {
    assert.equal(hover('expect metric writeLatencyMs.p99.x < 5', 'write'), null);
  });

  // Break: the third word of any expect line was looked up as a metric (here a key named hitRatio).
  it('says nothing over an expect db key that is spelt as a metric', () => {
    assert.equal(hover('expect db hitRatio missing', 'hit'), null);
  });

  // Break: a keyword inside a JSON string was explained (`via` in "x via y").
  it('says nothing over a keyword inside a JSON string', () => {
    assert.equal(hover('write k "x via y"', 'via'), null);
  });

  // Break: a setting's hover lost its value line.
  it('gives a setting its value line', () => {
    assert.equal(
      hover('set cache.latency 1ms', 'cache')?.markdown,
      '**cache.latency** (setting)\n\nOne round trip between a client and a cache node. Default 1ms.\n\nValue: a duration (250ms, 5s, 2m, 1h).',
    );
  });

  // Break: the lower and upper bounds were joined with a comma instead of "and".
  it("joins a setting's two bounds with and", () => {
    assert.equal(
      hover('set cache.capacity 10', 'cache')?.markdown,
      '**cache.capacity** (setting)\n\nEntries each cache node holds before the least recently used one is evicted (lru-cache `max`), up to 1,000,000. Default 1000.\n\nValue: a whole number, at least 1 and at most 1,000,000.',
    );
  });

  // Break: a lower bound of 0 was stated (", at least 0"), which every whole number meets.
  it('states no lower bound of 0', () => {
    assert.equal(
      hover('set writeBehind.requeueLimit 3', 'write')?.markdown,
      '**writeBehind.requeueLimit** (setting)\n\nRetries of one entry before it moves to the dead-letter queue, or `off` to retry forever. Default off.\n\nValue: a whole number or off.',
    );
  });
});
