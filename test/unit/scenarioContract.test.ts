// Holds the runner and the CLI to the written contract (architecture.md, "Scenario language" and "CLI contract") on
// small scenarios a conformance review found misbehaving: each case failed before its fix.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/main';
import { parseScenario } from '../../src/scenario/parser';
import { optionsFromProgram, runProgram } from '../../src/scenario/runner';
import { defaultOptions } from '../../src/model/types';
import { findPreset } from '../../src/model/presets';
import { METRIC_DOCS } from '../../src/scenario/hover';
import type { ScenarioResult } from '../../src/scenario/runner';

function run(source: string): ScenarioResult {
  const program = parseScenario(source);
  assert.deepEqual(
    program.diagnostics.filter((d) => d.severity === 'error'),
    [],
    'the scenario parses',
  );
  return runProgram(program);
}

/** Virtual time of the first trace step of the statement on `line`. */
function firstStepTime(result: ScenarioResult, line: number): number {
  const step = result.steps.find((s) => s.line === line);
  assert.ok(step, `a step of line ${line}`);
  return step.time;
}

describe('without `at`, a client operation starts when that client\'s previous one completes', () => {
  it('waits for the same client\'s `at` operation written just above it', () => {
    // Contract: "Without `at`, a client's operation starts when its previous one completes." Alice's write is issued
    // at 0 ms and acknowledged at 11 ms (cache + database round trips); her read must start after that, so it hits.
    const result = run('strategy write-through\nat 0ms as alice write k 1\nas alice read k\nexpect value 1\n');
    assert.ok(result.ok, JSON.stringify(result.expectations));
    assert.equal(firstStepTime(result, 3), 12);
  });

  it('waits for every earlier `at` operation of the client, not only the last one written', () => {
    const result = run('strategy write-through\nat 0ms as bob write a 1\nat 0ms as bob read b\nas bob read a\nexpect value 1\n');
    assert.ok(result.ok, JSON.stringify(result.expectations));
    assert.equal(firstStepTime(result, 4), 12);
  });

  it('does not wait for another client\'s `at` operation', () => {
    const result = run('strategy write-through\nat 0ms as alice write k 1\nas bob read k\nexpect value missing\n');
    assert.ok(result.ok, JSON.stringify(result.expectations));
    assert.equal(firstStepTime(result, 3), 1);
  });
});

describe('expect stale on a read that failed', () => {
  it('says the read failed, not that it returned the newest value', () => {
    const result = run('strategy write-behind\nset cache.nodes 2\nwrite a 1\ncrash cache node2\nread a via node2\nexpect stale\n');
    assert.deepEqual(result.expectations, [{ line: 6, ok: false, message: 'expected the read on line 5 to be stale, but it failed: node2 is down' }]);
  });
});

describe('the trace of an increment whose row does not exist', () => {
  it('shows the database read as a miss with no value, as a read of a missing row does (not a row holding null)', () => {
    const result = run('strategy write-behind\nincr n 5\n');
    const load = result.steps.find((s) => s.action === 'db.read');
    assert.ok(load, 'the count is loaded from the database');
    assert.equal(load.outcome, 'miss');
    assert.equal('value' in load ? load.value : undefined, undefined);
    assert.equal(load.note, 'database has no row n: node1 counts from 0');
  });

  it('still shows the row it loads when there is one, with the write it came from', () => {
    const result = run('strategy write-behind\nload n 100\nincr n\n');
    const load = result.steps.find((s) => s.action === 'db.read');
    assert.ok(load);
    assert.deepEqual([load.outcome, load.value, load.version, load.note], ['ok', 100, 1, 'node1 loads n to increment it']);
  });
});

describe("a crash's note counts in words", () => {
  const note = (source: string): string | undefined => run(source).steps.find((s) => s.action === 'crash')?.note;

  it('one lost write, one logged entry, one entry on the backup member', () => {
    assert.equal(note('strategy write-behind\nwrite a 1\ncrash cache\n'), 'node1 crashed: cache emptied; 1 acknowledged write in its queue never reached the database: it is lost');
    assert.equal(note('strategy write-behind\nset writeBehind.wal on\nwrite a 1\ncrash cache\n'), 'node1 crashed: cache emptied; 1 pending queue entry is gone from memory but safe in the write-ahead log');
    assert.equal(note('strategy write-behind\nset writeBehind.backup on\nwrite a 1\ncrash cache\n'), 'node1 crashed: cache emptied; its 1 pending queue entry lives on in the backup member, which keeps flushing');
  });

  it('several', () => {
    assert.equal(note('strategy write-behind\nwrite a 1\nwrite b 1\ncrash cache\n'), 'node1 crashed: cache emptied; 2 acknowledged writes in its queue never reached the database: they are lost');
  });
});

describe('a preset sets every write-behind knob', () => {
  it('a second preset replaces the first instead of blending with it, and says so', () => {
    // rgsync sets strict order; Hazelcast's preset leaves the order at its default, so the blend ran "Hazelcast"
    // with rgsync's strict order.
    const program = parseScenario('strategy write-behind\npreset rgsync\npreset hazelcast\nwrite a 1\n');
    assert.deepEqual(program.diagnostics, [
      { severity: 'warning', line: 3, column: 1, endColumn: 17, message: 'preset hazelcast replaces preset rgsync from line 2: only the last preset applies' },
    ]);
    const hazelcast = findPreset('hazelcast');
    assert.ok(hazelcast);
    assert.deepEqual(optionsFromProgram(program).writeBehind, { ...defaultOptions().writeBehind, ...hazelcast.writeBehind });
    assert.equal(optionsFromProgram(program).writeBehind.order, 'per-key');
  });

  it('set lines still win over the preset, wherever the preset stands', () => {
    const program = parseScenario('strategy write-behind\npreset ignite\nset writeBehind.order strict\npreset hazelcast\n');
    assert.equal(optionsFromProgram(program).writeBehind.order, 'strict');
    assert.equal(optionsFromProgram(program).writeBehind.flushSize, null, "ignite's flush size does not outlive its preset");
  });

  it("Hazelcast's queue capacity, 50,000 rejecting, applies once coalescing is off, unless a set line bounds the queue", () => {
    const cap = (lines: string): { maxQueue: number | null; whenFull: string } => {
      const { maxQueue, whenFull } = optionsFromProgram(parseScenario(`strategy write-behind\npreset hazelcast\n${lines}`)).writeBehind;
      return { maxQueue, whenFull };
    };
    assert.deepEqual(cap(''), { maxQueue: null, whenFull: 'reject' });
    assert.deepEqual(cap('set writeBehind.coalescing off\n'), { maxQueue: 50_000, whenFull: 'reject' });
    // A set line wins, whichever way it goes, and a later preset without the rule leaves the queue unbounded.
    assert.deepEqual(cap('set writeBehind.coalescing off\nset writeBehind.maxQueue off\n'), { maxQueue: null, whenFull: 'reject' });
    assert.deepEqual(cap('set writeBehind.maxQueue 3\nset writeBehind.coalescing off\n'), { maxQueue: 3, whenFull: 'reject' });
    assert.deepEqual(cap('set writeBehind.coalescing off\npreset ehcache\n'), { maxQueue: null, whenFull: 'block' });
    assert.equal(optionsFromProgram(parseScenario('strategy write-behind\nset writeBehind.coalescing off\n')).writeBehind.maxQueue, null, 'without the preset');
  });

  it('under preset hazelcast with coalescing off, the put after 50,000 pending entries fails', () => {
    const writes = Array.from({ length: 50_001 }, (_, i) => `write k${i} ${i}`).join('\n');
    const program = parseScenario(`strategy write-behind\npreset hazelcast\nset writeBehind.coalescing off\nset writeBehind.flushInterval 1h\n${writes}\nexpect error`);
    assert.deepEqual(program.diagnostics, []);
    const r = runProgram(program, { trace: false });
    assert.deepEqual(r.expectations, [{ line: 50_006, ok: true, message: 'line 50005 failed as expected: write-behind queue is full (50000 entries)' }]);
    assert.equal(r.metrics.rejectedWrites, 1);
    assert.equal(r.metrics.maxQueueDepth, 50_000);
  });
});

describe('a node named before the set line that creates it', () => {
  // README: settings apply to the whole run wherever they stand, and a node named anywhere must exist under the run's
  // final cache.nodes. The parser refused node2 on a line above `set cache.nodes 2`.
  it('exists: the set line draws the usual warning, and the read runs through node2', () => {
    const program = parseScenario('strategy write-through\nload k 1\nread k via node2\nset cache.nodes 2\n');
    assert.deepEqual(program.diagnostics, [
      { severity: 'warning', line: 4, column: 1, endColumn: 18, message: 'settings apply to the whole run; move this set above line 3' },
    ]);
    const result = runProgram(program);
    assert.ok(result.steps.some((s) => s.line === 3 && s.to === 'node2'), 'the read goes to node2');
  });

  it('a node beyond the final count is still an error, with one error per line', () => {
    assert.deepEqual(
      parseScenario('strategy write-through\nread k via node3\nset cache.nodes 2\n').diagnostics.filter((d) => d.severity === 'error'),
      [{ severity: 'error', line: 2, column: 12, endColumn: 17, message: 'node3 does not exist in this run: line 3 sets cache.nodes 2, and settings apply to the whole run' }],
    );
    assert.deepEqual(
      parseScenario('strategy write-through\nread k via node3 now\n').diagnostics.map((d) => d.message),
      ['unexpected "now"; expected end of line'],
    );
  });
});

describe('what a key and a client name may hold, as the diagnostics say', () => {
  it('says ASCII letters: "é" is a letter, and the key café is refused', () => {
    assert.deepEqual(
      parseScenario('strategy write-through\nwrite café 1\n').diagnostics.map((d) => d.message),
      ['expected a key like product:1 (ASCII letters, digits and : _ - . /), got "café"'],
    );
    assert.deepEqual(
      parseScenario('strategy write-through\nas zoë read k\n').diagnostics.map((d) => d.message),
      ['expected a client name like bob (an ASCII letter or _, then ASCII letters, digits, _ or -), got "zoë"'],
    );
  });

  it('takes any Unicode inside a JSON string value', () => {
    const result = run('strategy write-through\nwrite k "café ☕ 😀"\nread k\nexpect value "café ☕ 😀"\n');
    assert.ok(result.ok, JSON.stringify(result.expectations));
  });
});

describe('cache-workbench run prints a trace larger than one string may hold', () => {
  // V8 refuses strings longer than about 2^29 characters; `run --json` built its whole output as one string and
  // crashed with "RangeError: Invalid string length" (a stack trace, exit code 1) on a 1 MB scenario file.
  const big = `"${'x'.repeat(1_000_000)}"`;
  const source = ['strategy write-through', `write k ${big}`, ...Array.from({ length: 300 }, () => 'read k'), 'expect value 1'].join('\n');

  for (const json of [true, false]) {
    it(json ? '--json: in pieces, each a whole number of lines' : 'as text, with verdicts that cut a long value short', () => {
      let chars = 0;
      let longest = 0;
      let tail = '';
      let pieces = 0;
      /** Pieces that do not start a line of the pretty-printed JSON (every line after the first is indented, but the last). */
      const midLine: string[] = [];
      const err: string[] = [];
      const code = main(['run', 'big.cachescenario', ...(json ? ['--json'] : [])], {
        out: (s) => {
          if (pieces > 0 && !/^( {2}|\}$)/.test(s)) midLine.push(s.slice(0, 40));
          pieces++;
          chars += s.length + 1;
          longest = Math.max(longest, s.length);
          tail = s.slice(-2000);
        },
        err: (s) => err.push(s),
        readFile: () => source,
      });
      assert.deepEqual(err, []);
      assert.equal(code, 1, 'the one expectation fails');
      if (json) {
        assert.ok(chars > 2 ** 29, `more than one string may hold: ${chars}`);
        assert.ok(longest < 4_000_000, `no piece holds the whole output: ${longest}`);
        assert.ok(pieces > 1);
        assert.deepEqual(midLine, [], 'each piece starts a line');
        assert.match(tail, /\}\n {2}\]\n\}$/, 'the steps array and the object close');
      } else {
        assert.ok(chars < 1_000_000, `the verdict shows the value cut short: ${chars}`);
        assert.match(tail, /FAIL line 303: expected value 1, got "x{198}… \(1,000,002 characters\)/);
      }
    });
  }

  it('--json pieces join into exactly JSON.stringify(result, null, 2)', () => {
    let out = '';
    const text = 'strategy write-behind\nset cache.nodes 2\nwrite a {"n": [1, {"s": "two\\nlines"}]}\nread a via node2\nexpect value missing\ncrash cache\n';
    main(['run', 'a.cachescenario', '--json'], { out: (s) => (out += `${s}\n`), err: () => {}, readFile: () => text });
    const { strategy, ok, metrics, expectations, errors, warnings, steps } = runProgram(parseScenario(text));
    assert.equal(out, `${JSON.stringify({ strategy, ok, metrics, expectations, errors, warnings, steps }, null, 2)}\n`);
  });

  it('an empty trace prints empty arrays as JSON.stringify does', () => {
    let out = '';
    main(['run', 'e.cachescenario', '--json'], { out: (s) => (out += `${s}\n`), err: () => {}, readFile: () => 'strategy write-through\n' });
    const { strategy, ok, metrics, expectations, errors, warnings, steps } = runProgram(parseScenario('strategy write-through\n'));
    assert.equal(out, `${JSON.stringify({ strategy, ok, metrics, expectations, errors, warnings, steps }, null, 2)}\n`);
  });
});

describe('a number too large to hold is called too large, not malformed', () => {
  const messages = (line: string): string[] => parseScenario(`strategy write-through\nwrite k 1\n${line}\n`).diagnostics.map((d) => d.message);
  const N = '99999999999999999999';

  it('counts, amounts and metric numbers', () => {
    // Each said "expected a whole number like 100" (or "a number like 0, 12 or 0.95") of a number written in digits.
    assert.deepEqual(messages(`set cache.capacity ${N}`), [`cache.capacity must be at most 1,000,000, got ${N}`]);
    assert.deepEqual(messages(`set writeBehind.batchSize ${N}`), [`${N} is too large: a whole number goes up to 9,007,199,254,740,991`]);
    assert.deepEqual(messages(`incr k ${N}`), [`amount ${N} is too large: a whole number goes up to 9,007,199,254,740,991`]);
    assert.deepEqual(messages(`fail db next ${N} writes`), [`${N} is too large: a whole number goes up to 9,007,199,254,740,991`]);
    assert.deepEqual(messages('expect metric lostWrites == 1e999'), ['1e999 is too large for a number']);
  });

  it('durations too long for a number at all', () => {
    const digits = '9'.repeat(400);
    const shown = `${'9'.repeat(37)}...`;
    for (const line of [`advance ${digits}h`, `set cache.latency ${digits}s`, `fail db for ${digits}ms`, `at ${digits}ms read k`]) {
      assert.deepEqual(messages(line), [`${shown} is too long: a duration goes up to 365 days (8760h)`], line);
    }
  });

  it('malformed values keep their messages', () => {
    assert.deepEqual(messages('set cache.capacity 1.5'), ['expected a whole number like 100, got "1.5"']);
    assert.deepEqual(messages('set cache.capacity -5'), ['expected a whole number like 100, got "-5"']);
    assert.deepEqual(messages('incr k 1.5'), ['expected a whole amount like 5 or -1, or via nodeN, got "1.5"']);
    // A negative duration says what is wrong with it (its sign).
    assert.deepEqual(messages('set cache.latency -5ms'), ['expected a duration like 250ms, 5s or 2m, got "-5ms": a duration cannot be negative (the virtual clock only moves forward)']);
  });
});

describe('decimal durations add up as written', () => {
  it('0.1 ms + 0.2 ms is a 0.3 ms write, a 0.1 ms read, and times of 0.3 and 0.4 ms', () => {
    // Binary sums gave 0.30000000000000004 and a read latency of 0.09999999999999998, so `== 0.1` failed.
    const result = run('strategy write-through\nset cache.latency 0.1ms\nset db.latency 0.2ms\nwrite k 1\nread k\nexpect metric writeLatencyMs.p50 == 0.3\nexpect metric readLatencyMs.max == 0.1\n');
    assert.ok(result.ok, JSON.stringify(result.expectations));
    assert.deepEqual(result.steps.map((s) => s.time), [0.1, 0.3, 0.3, 0.4, 0.4]);
  });

  it('a write-behind run on decimal knobs keeps every time to the nanosecond', () => {
    const result = run('strategy write-behind\nset cache.latency 0.1ms\nset db.latency 0.7ms\nset writeBehind.flushInterval 0.3ms\nset writeBehind.retryDelay 1.1ms\nfail db next 2 writes\nwrite a 1\nincr n 3\nadvance 10ms\n');
    for (const s of result.steps) assert.equal(Math.round(s.time * 1e6) / 1e6, s.time, `step ${s.seq} at ${s.time}`);
    const m = result.metrics;
    for (const v of [m.writeLatencyMs.p50, m.writeLatencyMs.max, m.writeLatencyMs.mean]) assert.equal(Math.round(v * 1e6) / 1e6, v);
  });
});

describe('metric documentation says what the engine counts', () => {
  it("maxQueueDepth and queueDepth add up all nodes' queues; retries counts entries, not flushes", () => {
    // The hover said "the largest number of pending entries a write-behind queue held" (one queue) and "retries of
    // failed write-behind flushes" (one per flush); the engine counts all queues together, and each entry retried.
    const twoQueues = run('strategy write-behind\nset cache.nodes 2\nwrite a 1\nwrite b 1 via node2\n');
    assert.equal(twoQueues.metrics.maxQueueDepth, 2, 'one entry in each of two queues');
    assert.match(METRIC_DOCS.maxQueueDepth, /all nodes' queues together/);
    assert.match(METRIC_DOCS.queueDepth, /all nodes' queues together/);
    const oneBatch = run('strategy write-behind\nfail db next 1 write\nwrite a 1\nwrite b 1\nwrite c 1\nadvance 10s\n');
    assert.equal(oneBatch.metrics.retries, 3, 'one failed flush of a batch of three entries');
    assert.match(METRIC_DOCS.retries, /a failed batch of 3 entries counts 3/);
  });
});

describe('an `at` time already passed is issued when the script reaches it, with a warning', () => {
  it('runs the contract\'s own example block (its `at 5ms` stands below `advance 30s`) without an error', () => {
    // The block under "Scenario language" in architecture.md, as written there (comments included).
    const example = [
      'strategy write-behind                      # write-through | write-behind | write-around | cache-aside | write-through+cache-aside',
      'preset ignite                              # optional: hazelcast | ignite | coherence | ehcache | rgsync ... (product defaults)',
      'set cache.capacity 1000                    # entries',
      'set cache.ttl 1h                           # or off (default off)',
      'set cache.latency 1ms                      # one round trip to a cache node',
      'set cache.nodes 2                          # independent cache nodes node1..node2 (default 1)',
      'set db.latency 10ms                        # one round trip to the database',
      'set writeBehind.flushInterval 60s',
      'set writeBehind.batchSize 100',
      'set writeBehind.coalescing on',
      'set writeBehind.maxQueue 10000             # or off',
      'set writeBehind.whenFull block             # block | reject | flush',
      'set writeBehind.wal off',
      'load product:1 {"price": 10}               # row in the DB before the run (no client steps)',
      'write product:1 {"price": 12}              # client write through the strategy',
      'incr views:home                            # counter increment (optional amount: incr views:home 5)',
      'read product:1                             # client read through the strategy',
      'read product:1 via node2                   # through another cache node',
      'read-db product:1                          # straight from the DB, bypassing every cache',
      'advance 30s                                # let virtual time pass',
      'crash cache                                # or: crash cache node2',
      'restart cache',
      'fail db for 10s                            # or: fail db next 2 writes',
      'recover db',
      'at 5ms as bob read product:1               # concurrency: issue at a virtual time on a named client',
      'expect value {"price": 12}                 # result of this client\'s previous read',
      'expect error                               # previous operation failed (also: expect ok)',
      'expect db product:1 == {"price": 12}       # also: expect db product:1 missing',
      'expect cache product:1 == {"price": 12}    # also: via node2, missing',
      'expect metric lostWrites == 0              # any metric below; operators == != < <= > >=',
    ].join('\n');
    const program = parseScenario(example);
    assert.deepEqual(program.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.ok(program.diagnostics.some((d) => d.severity === 'warning' && d.line === 25 && /^at 5ms is in the past/.test(d.message)));
    const out: string[] = [];
    const err: string[] = [];
    const code = main(['run', 'example.cachescenario'], { readFile: () => example, out: (s) => out.push(s), err: (s) => err.push(s) });
    // The example lists every form, not a story whose expectations all hold: 0 or 1, never 2.
    assert.ok(code === 0 || code === 1, `exit ${code}: ${err.join('\n')}`);
    // Bob's read was issued once the script got there, after the 30 s advance and the restart.
    const result = runProgram(program);
    assert.deepEqual(result.errors, []);
    // The parser has said it: the run does not say it again.
    assert.deepEqual(result.warnings, []);
    assert.ok((result.steps.find((s) => s.line === 25)?.time ?? 0) >= 30_000);
  });

  it('issues an operation whose `at` the operations above have passed, warns, and lets the expectations decide', () => {
    // The write takes 11 ms, so `at 5ms` is past when the script reaches it: only the run can tell.
    const result = run('strategy write-through\nwrite k 1\nat 5ms as bob read k\nexpect value 1\n');
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.warnings, [{ line: 3, message: 'at 5ms is in the past: the previous statements already ran until 11ms, so it was issued then' }]);
    assert.ok(result.ok);
    // Issued at 11 ms; its first step is at the cache, one round trip later.
    assert.equal(firstStepTime(result, 3), 12);
    const out: string[] = [];
    const code = main(['run', 's.cachescenario', '--json'], { readFile: () => 'strategy write-through\nwrite k 1\nat 5ms as bob read k\nexpect value 1\n', out: (s) => out.push(s), err: () => undefined });
    assert.equal(code, 0);
    assert.deepEqual((JSON.parse(out.join('\n')) as { warnings: unknown }).warnings, result.warnings);
  });
});

describe('lostWrites at the end of a run: "nothing left that could still write it"', () => {
  const crashed = (wal: 'on' | 'off', restart: boolean): ScenarioResult =>
    run(`strategy write-behind\nset writeBehind.wal ${wal}\nwrite a 1\nwrite b 2\ncrash cache\n${restart ? 'restart cache\n' : ''}expect db a missing\n`);

  it('does not count writes a crashed node\'s write-ahead log still holds, its restart would replay them', () => {
    const r = crashed('on', false);
    assert.equal(r.metrics.lostWrites, 0);
    assert.equal(r.metrics.dbWrites, 0);
    // Restarted, the log replays and the rows land.
    const replayed = crashed('on', true);
    assert.equal(replayed.metrics.lostWrites, 0);
    assert.equal(replayed.metrics.dbWrites, 2);
  });

  it('counts them without the log, restarted or not', () => {
    assert.equal(crashed('off', false).metrics.lostWrites, 2);
    assert.equal(crashed('off', true).metrics.lostWrites, 2);
  });
});

describe('`expect metric` is judged where it stands, unless it is in the closing block of expectations', () => {
  /** Each expectation's verdict and message, by line. */
  const verdicts = (r: ScenarioResult): [number, boolean, string][] => r.expectations.map((e) => [e.line, e.ok, e.message]);

  it('a write-behind write is not in the database before the flush, and is after it', () => {
    const r = run('strategy write-behind\nset writeBehind.flushInterval 5s\nwrite p 1\nexpect metric dbWrites == 0\nadvance 10s\nexpect metric dbWrites == 1');
    assert.deepEqual(verdicts(r), [
      [4, true, 'metric dbWrites is 0 (== 0)'],
      [6, true, 'metric dbWrites is 1 (== 1)'],
    ]);
  });

  it('the closing block is judged once the run has settled: the queue drains at its next flush', () => {
    // Nothing after the write but expectations: the run goes on to the flush at 60 s, and both see its database write.
    const r = run('strategy write-behind\nset writeBehind.flushInterval 60s\nwrite p 1\n# the closing block\nexpect metric dbWrites == 1\n\nexpect db p missing');
    assert.deepEqual(verdicts(r), [
      [5, true, 'metric dbWrites is 1 (== 1)'],
      [7, true, 'db p is missing'],
    ]);
    // The same metric line above an `advance` is judged before the flush.
    const early = run('strategy write-behind\nset writeBehind.flushInterval 60s\nwrite p 1\nexpect metric dbWrites == 1\nadvance 1s');
    assert.deepEqual(verdicts(early), [[4, false, 'expected metric dbWrites == 1, got 0']]);
  });

  it('counts a write lost as soon as the crash leaves nothing that could still write it, and a latency only once acknowledged', () => {
    const r = run(
      [
        'strategy write-behind',
        'write a 1',
        'expect metric writeLatencyMs.max == 1',
        'expect metric lostWrites == 0',
        'crash cache',
        'expect metric lostWrites == 1',
        'restart cache',
        'write b 2',
        'expect metric acknowledgedWrites == 2',
        'advance 6s',
        'expect metric lostWrites == 1',
        'expect metric dbWrites == 1',
      ].join('\n'),
    );
    assert.ok(r.ok, JSON.stringify(r.expectations));
    assert.deepEqual(
      r.expectations.map((e) => e.line),
      [3, 4, 6, 9, 11, 12],
    );
  });

  it('mid-run and closing lines of one metric see the count at their own places', () => {
    const r = run('strategy cache-aside\nload k 1\nread k\nwrite k 2\nexpect metric cacheMisses == 1\nexpect cache k missing\nread k\nexpect metric cacheMisses == 2\nexpect fresh');
    assert.ok(r.ok, JSON.stringify(r.expectations));
    assert.deepEqual(verdicts(r).map(([line, , message]) => [line, message]), [
      [5, 'metric cacheMisses is 1 (== 1)'],
      [6, 'cache k in node1 is missing'],
      [8, 'metric cacheMisses is 2 (== 2)'],
      [9, 'the read on line 7 was fresh'],
    ]);
  });
});

describe('every step names its key: a database batch lists the keys of its rows', () => {
  const SOURCE = 'strategy write-behind\nset writeBehind.flushInterval 5s\nwrite order:1 1\nwrite order:2 2\nwrite order:3 3\nadvance 6s\nfail db next 1 write\nwrite order:4 4\nadvance 6s\nexpect db order:4 == 4';

  it('in the JSON: `keys` in batch order, and `key` for a batch of one row, failed or not', () => {
    const r = run(SOURCE);
    assert.ok(r.ok, JSON.stringify(r.expectations));
    const batches = r.steps.filter((s) => s.action === 'db.batch').map((s) => [s.time, s.outcome, s.key, s.keys]);
    assert.deepEqual(batches, [
      [5010, 'persisted', null, ['order:1', 'order:2', 'order:3']],
      [10010, 'error', 'order:4', ['order:4']],
      [11020, 'persisted', 'order:4', ['order:4']],
    ]);
    // No other step carries `keys`.
    assert.deepEqual(r.steps.filter((s) => s.keys !== undefined && s.action !== 'db.batch'), []);
  });

  it('in the text trace: the key column of a batch of several rows lists them, cut to the column', () => {
    let out = '';
    assert.equal(main(['run', 'batch.cachescenario'], { out: (s) => (out += `${s}\n`), err: () => {}, readFile: () => SOURCE }), 0);
    const row = out.split('\n').find((l) => / db\.batch /.test(l) && l.includes('3 rows'));
    assert.match(row ?? '', / db\.batch +order:1, order:2, order:3 +persisted /);
    const many = Array.from({ length: 12 }, (_, i) => `write order:${i} ${i}`).join('\n');
    out = '';
    main(['run', 'many.cachescenario'], { out: (s) => (out += `${s}\n`), err: () => {}, readFile: () => `strategy write-behind\n${many}\nadvance 6s` });
    const long = out.split('\n').find((l) => / db\.batch /.test(l));
    assert.match(long ?? '', / db\.batch +order:0, order:1, order:2, order:3, ord… +persisted /);
  });
});

describe('queueOverflows counts the writes that found the write-behind queue full, once each', () => {
  it('under block: a writer woken into a queue another writer refilled waits again, and still counts once', () => {
    const r = run(
      'strategy write-behind\nset writeBehind.maxQueue 1\nset writeBehind.whenFull block\nset writeBehind.flushInterval 1s\n' +
        'at 0ms as a write k1 1\nat 0ms as b write k2 2\nat 0ms as c write k3 3\nadvance 5s',
    );
    assert.deepEqual(
      r.steps.filter((s) => s.action === 'queue.block' || (s.action === 'ack' && s.key !== null)).map((s) => `${s.time} ${s.client} ${s.action}`),
      ['1 a ack', '1 b queue.block', '1 c queue.block', '1000 b ack', '1010 c ack'],
    );
    // c was woken at 1000 ms too, found b's entry in the one slot, and waited for the batch to land.
    assert.equal(r.metrics.queueOverflows, 2);
    assert.equal(r.metrics.rejectedWrites, 0);
  });

  it('under reject it counts the rejected writes; under flush the writers that stored an entry first; unbounded, none', () => {
    const three = 'write k1 1\nwrite k2 2\nwrite k3 3\nwrite k4 4\nwrite k5 5';
    const reject = run(`strategy write-behind\nset writeBehind.maxQueue 3\nset writeBehind.whenFull reject\n${three}`).metrics;
    assert.deepEqual([reject.queueOverflows, reject.rejectedWrites, reject.acknowledgedWrites], [2, 2, 3]);
    const flush = run(`strategy write-behind\npreset ignite\nset writeBehind.maxQueue 3\n${three}`).metrics;
    assert.deepEqual([flush.queueOverflows, flush.rejectedWrites, flush.acknowledgedWrites], [2, 0, 5]);
    assert.equal(run(`strategy write-behind\n${three}`).metrics.queueOverflows, 0);
  });
});

describe('maxPendingAgeMs: the longest an entry waited in the write-behind queue before the database took it', () => {
  it('runs from the entry\'s first write to the commit, coalesced writes included; a lost entry does not count', () => {
    // Written at 1 ms, folded into at 2,001 ms, flushed at 5,000 ms and committed at 5,010 ms.
    const folded = run('strategy write-behind\nset writeBehind.flushInterval 5s\nwrite a 1\nadvance 2s\nwrite a 2\nexpect metric maxPendingAgeMs == 0\nadvance 4s\nexpect metric maxPendingAgeMs == 5009');
    assert.ok(folded.ok, JSON.stringify(folded.expectations));
    // The batch after a crash: b waited from 6,002 ms to the next flush, a was lost and counts for nothing.
    const lost = run('strategy write-behind\nset writeBehind.flushInterval 5s\nwrite a 1\ncrash cache\nrestart cache\nadvance 6s\nwrite b 2\nadvance 6s');
    assert.equal(lost.metrics.lostWrites, 1);
    assert.equal(lost.metrics.maxPendingAgeMs, 10_010 - 6_002);
    // A strategy without a queue never waits.
    assert.equal(run('strategy write-through\nwrite a 1\nadvance 6s').metrics.maxPendingAgeMs, 0);
  });

  it('counts a failed batch\'s retries in the wait: the entry is at risk until the database finally takes it', () => {
    const r = run('strategy write-behind\nset writeBehind.flushInterval 5s\nset writeBehind.retryDelay 1s\nfail db for 7s\nwrite a 1\nadvance 20s');
    assert.ok(r.metrics.retries >= 2, `retries ${r.metrics.retries}`);
    const landed = r.steps.find((s) => s.action === 'db.batch' && s.outcome === 'persisted');
    assert.ok(landed);
    assert.equal(r.metrics.maxPendingAgeMs, landed.time - 1);
  });
});
