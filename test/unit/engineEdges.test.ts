// Engine behaviour at the edges a review of the simulator turned up: counters mixed with plain writes, counters
// counted on a stale copy, the row lock between one client's writes, expired entries left unread, queue depth after a
// failed flush. Each scenario's `expect` lines state the behaviour; the tests also pin the trace where it matters.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../../src/scenario/parser';
import { optionsFromProgram, runProgram } from '../../src/scenario/runner';
import { PRESET_NAMES } from '../../src/model/presets';
import type { ScenarioResult } from '../../src/scenario/runner';

/** Runs scenario text (which must parse cleanly) and fails with every expectation that did not hold. */
function run(lines: string[]): ScenarioResult {
  const program = parseScenario(lines.join('\n'));
  assert.deepEqual(program.diagnostics, [], 'the scenario has diagnostics');
  const result = runProgram(program);
  const broken = [...result.expectations.filter((e) => !e.ok).map((e) => `line ${e.line}: ${e.message}`), ...result.errors.map((e) => `line ${e.line}: ${e.message}`)];
  assert.deepEqual(broken, [], 'every expectation holds');
  return result;
}

describe('lost writes on a key that takes both plain writes and increments', () => {
  it('increments acknowledged after the flushed write and lost in the crash count as lost', () => {
    const r = run([
      'strategy write-behind',
      'set writeBehind.flushInterval 1s',
      'write n 10',
      'advance 2s',
      'incr n',
      'incr n',
      'incr n',
      'crash cache',
      'restart cache',
      'advance 5s',
      'expect db n == 10',
      'expect metric lostWrites == 3',
    ]);
    const lost = r.steps.filter((s) => s.action === 'queue.lost');
    assert.deepEqual(lost.map((s) => s.writes), [[2, 3, 4]]);
  });

  it('an increment a later plain write superseded is not lost, as for plain writes', () => {
    run([
      'strategy write-behind',
      'set writeBehind.flushInterval 1s',
      'write n 10',
      'advance 2s',
      'incr n',
      'crash cache',
      'restart cache',
      'write n 20',
      'advance 5s',
      'expect db n == 20',
      'expect metric lostWrites == 0',
    ]);
  });

  it('a key only ever incremented is still judged by its count', () => {
    run(['strategy write-behind', 'load n 10', 'incr n', 'incr n 4', 'crash cache', 'restart cache', 'advance 10s', 'expect db n == 10', 'expect metric lostWrites == 2']);
  });
});

describe('write-through counters on a copy that missed increments through another node', () => {
  it("the node takes the database's count at the commit, so the next read returns what the database holds", () => {
    const r = run([
      'strategy write-through',
      'set cache.nodes 2',
      'load n 10',
      'read n',
      'incr n via node2',
      'incr n via node2',
      'incr n',
      'read n',
      'expect value 13',
      'expect cache n == 13',
      'expect db n == 13',
      'expect metric staleReads == 0',
    ]);
    const commit = r.steps.filter((s) => s.action === 'db.incr').at(-1);
    assert.equal(commit?.value, 13);
    assert.match(commit?.note ?? '', /node1 had counted 11 on a copy that missed increments made through another node/);
  });

  it('a commit after the node crashed says only the database has the value', () => {
    const r = run(['strategy write-through', 'load k 0', 'at 0ms write k 1', 'at 5ms crash cache', 'at 6ms restart cache', 'at 20ms as r read k', 'expect value 1', 'expect db k == 1']);
    const commit = r.steps.find((s) => s.action === 'db.write' && s.line === 3);
    assert.equal(commit?.note, 'database committed; node1 restarted since the cache write, so only the database has the new value');
  });
});

describe('write-behind counters on a node that lost its copy while writes were pending', () => {
  it('after a crash with a backup member: the count includes the increment still queued', () => {
    run(['strategy write-behind', 'preset hazelcast', 'load views 100', 'incr views 5', 'crash cache', 'restart cache', 'incr views', 'read views', 'expect value 106', 'advance 5s', 'expect db views == 106']);
  });

  it('after a restart that replays the write-ahead log', () => {
    run(['strategy write-behind', 'set writeBehind.wal on', 'load n 10', 'incr n', 'incr n', 'crash cache', 'restart cache', 'incr n', 'read n', 'expect value 13', 'advance 10s', 'expect db n == 13', 'read n', 'expect value 13']);
  });

  it('after an eviction, with the increment folded into a pending plain write', () => {
    run(['strategy write-behind', 'set cache.capacity 1', 'load n 10', 'write n 50', 'incr n', 'write other 1', 'incr n', 'read n', 'expect value 52', 'advance 10s', 'expect db n == 52']);
  });

  it('with a batch for the key still out to the database', () => {
    // The flush sends a, then n's +5 (1100 to 1200 ms); the cold increment loads the row meanwhile (1051 to 1151 ms).
    const r = run([
      'strategy write-behind',
      'set writeBehind.flushInterval 1s',
      'set writeBehind.batchSize 1',
      'set db.latency 100ms',
      'set cache.capacity 1',
      'load n 10',
      'write a 1',
      'incr n 5',
      'at 1040ms write other 1',
      'at 1050ms incr n',
      'at 1300ms read n',
      'expect value 16',
      'advance 5s',
      'expect db n == 16',
    ]);
    const batches = r.steps.filter((s) => s.action === 'db.batch').map((s) => `${s.time} ${s.key ?? ''}`);
    assert.deepEqual(batches.slice(0, 2), ['1100 a', '1200 n']);
  });
});

describe("the row lock between one client's write-through writes", () => {
  const HANDOFF = 'waits for the row lock on k: the write holding it has just finished and hands it on in this same instant (no time passes)';

  it('a write sent right after the previous one was acknowledged waits no time, and the trace says so', () => {
    const r = run(['strategy write-through', 'write k 1', 'write k 2', 'expect db k == 2', 'expect metric writeLatencyMs.max == 11']);
    assert.deepEqual(
      r.steps.map((s) => `${s.time} ${s.action}`),
      ['1 cache.set', '11 db.write', '11 ack', '11 db.lock', '12 cache.set', '22 db.write', '22 ack'],
    );
    assert.equal(r.steps[3]?.note, HANDOFF);
  });

  it('two clients writing at once: the second waits for a write in progress', () => {
    const r = run(['strategy write-through', 'at 0ms as a write k 1', 'at 0ms as b write k 2', 'advance 50ms', 'expect db k == 2', 'expect metric writeLatencyMs.max == 22']);
    assert.deepEqual(r.steps.filter((s) => s.action === 'db.lock').map((s) => s.note), ['waits for the row lock on k: another write to it is in progress']);
  });

  it('after a write the database rejected, too', () => {
    const r = run(['strategy write-through', 'fail db next 1 writes', 'write k 1', 'expect error', 'write k 2', 'expect ok', 'expect db k == 2']);
    assert.deepEqual(r.steps.filter((s) => s.action === 'db.lock').map((s) => s.note), [HANDOFF]);
  });
});

describe('cache pollution counts entries written and never read, expired ones included', () => {
  it('an entry that expired unread counts, as one still cached does', () => {
    run(['strategy write-through', 'set cache.ttl 1s', 'write k 1', 'advance 5s', 'expect metric cachePollution == 1']);
    run(['strategy write-through', 'write k 1', 'advance 5s', 'expect metric cachePollution == 1']);
  });

  it('an entry read before it expired does not', () => {
    run(['strategy write-through', 'set cache.ttl 1s', 'write k 1', 'read k', 'advance 5s', 'expect metric cachePollution == 0']);
  });
});

describe('the queue depth metric after a failed flush', () => {
  it('counts the entries put back at the front with those queued meanwhile', () => {
    run([
      'strategy write-behind',
      'set writeBehind.flushInterval 1s',
      'set db.latency 100ms',
      'write a 1',
      'write b 1',
      'advance 1010ms',
      'fail db next 1 writes',
      'write c 1',
      'write d 1',
      'advance 150ms',
      'expect metric maxQueueDepth == 4',
    ]);
  });

  it('counts the entries a restart replays from the write-ahead log', () => {
    // a is out to the database when the node crashes (its batch then fails), b and c are queued: the queue never held
    // more than two, until the restart replays all three from the log.
    run([
      'strategy write-behind',
      'set writeBehind.flushInterval 1s',
      'set writeBehind.wal on',
      'set db.latency 100ms',
      'write a 1',
      'advance 1005ms',
      'write b 1',
      'write c 1',
      'fail db next 1 writes',
      'crash cache',
      'advance 200ms',
      'restart cache',
      'expect metric maxQueueDepth == 3',
      'advance 10s',
      'expect db a == 1',
      'expect db c == 1',
      'expect metric lostWrites == 0',
    ]);
  });
});

describe('a failed batch whose node crashed while it was out, with the write-ahead log on', () => {
  const lines = ['strategy write-behind', 'set writeBehind.flushInterval 1s', 'set writeBehind.wal on', 'set db.latency 100ms', 'write a 1', 'advance 1050ms', 'fail db next 1 writes', 'crash cache'];

  it('says the log keeps the batch while the node is down, and loses nothing', () => {
    const r = run([...lines, 'advance 200ms', 'restart cache', 'advance 5s', 'expect db a == 1', 'expect metric lostWrites == 0']);
    const note = r.steps.find((s) => s.action === 'queue.retry')?.note;
    assert.equal(note, 'node1 crashed while the batch was out: the write-ahead log keeps the failed batch (1 write) until the node restarts and replays it; retry in 1s at the earliest');
  });

  it('says the log puts the batch back when the node is already up again', () => {
    const r = run([...lines, 'restart cache', 'write a 2', 'advance 5s', 'expect db a == 2', 'expect metric lostWrites == 0']);
    const note = r.steps.find((s) => s.action === 'queue.retry')?.note;
    assert.equal(note, 'node1 crashed while the batch was out: the write-ahead log gives it back to the restarted node, 1 folded into a newer write of its key; retry in 1s');
  });

  it('takes the batch back as any failed batch: the retry delay, the retries metric and the requeue limit apply', () => {
    // Before, the batch went back with no delay and no attempt counted, so a requeue limit of 0 never dead-lettered it.
    const retried = run(['strategy write-behind', 'set writeBehind.retryDelay 2s', ...lines.slice(1), 'restart cache', 'advance 10s', 'expect metric retries == 1', 'expect db a == 1']);
    assert.deepEqual(retried.steps.filter((s) => s.action === 'db.batch').map((s) => `${s.time} ${s.outcome}`), ['1100 error', '3200 persisted']);
    const limited = ['strategy write-behind', 'set writeBehind.requeueLimit 0', ...lines.slice(1)];
    const dead = run([...limited, 'restart cache', 'advance 10s', 'expect metric deadLetters == 1', 'expect metric retries == 0', 'expect db a missing', 'expect metric lostWrites == 1']);
    assert.equal(dead.steps.find((s) => s.action === 'queue.deadLetter')?.note, 'a (1 write) gave up after 0 retries: moved to the dead-letter queue');
  });

  it("the crash's note counts the entries out to the database among those the log keeps", () => {
    const r = run([...lines, 'restart cache', 'advance 5s']);
    assert.equal(r.steps.find((s) => s.action === 'crash')?.note, 'node1 crashed: cache emptied; 0 pending queue entries (and 1 out to the database) are gone from memory but safe in the write-ahead log');
  });
});

describe('retries follow the oldest write in a queue entry', () => {
  it('a failed batch folded into a write queued during its flight keeps its attempts and its backoff', () => {
    // requeueLimit 1: write 1 fails at 1100 ms and folds into write 2 (queued at 1050 ms). The entry waits out the
    // retry delay (1 s after the failure, not the next interval) and, failing again, has had its one retry.
    const r = run([
      'strategy write-behind',
      'set writeBehind.flushInterval 1s',
      'set writeBehind.retryDelay 1s',
      'set writeBehind.requeueLimit 1',
      'set db.latency 100ms',
      'fail db next 2 writes',
      'write a 1',
      'at 1050ms write a 2',
      'advance 10s',
      'expect metric deadLetters == 1',
      'expect metric retries == 1',
      'expect db a missing',
    ]);
    const batches = r.steps.filter((s) => s.action === 'db.batch').map((s) => `${s.time} ${s.outcome}`);
    assert.deepEqual(batches, ['1100 error', '2200 error']);
    const dead = r.steps.find((s) => s.action === 'queue.deadLetter');
    assert.deepEqual(dead?.writes, [1, 2]);
    assert.equal(dead?.note, 'a (2 writes) gave up after 1 retry: moved to the dead-letter queue');
  });
});

describe('a read that loads the row while a write-through write to the key is under way', () => {
  // Capacity 1: w's write reaches the cache at 21 ms, x's write to q evicts it at 22.5 ms, r misses at 24 ms and loads
  // p while w's commit is still on its way (51 ms). Keeping that row would leave p's old value cached for good.
  const race = (strategy: string): string[] => [
    `strategy ${strategy}`,
    'set cache.capacity 1',
    'set client.w.delay 20ms',
    'load p 1',
    'load q 1',
    'at 0ms as w write p 2',
    'at 21.5ms as x write q 5',
    'at 23ms as r read p',
    'advance 100ms',
    'expect cache p missing',
    'read p',
    'expect value 2',
    'expect fresh',
    'expect metric staleReads == 0',
  ];

  it('write-through: the node does not keep the loaded row', () => {
    const r = run(race('write-through'));
    const load = r.steps.find((s) => s.action === 'cache.load' && s.line === 8);
    assert.equal(load?.note, 'node1 does not keep p: a write to it is under way and will commit a newer row');
  });

  it('the hybrid: the application drops its fill', () => {
    const r = run(race('write-through+cache-aside'));
    const fill = r.steps.find((s) => s.action === 'cache.set' && s.line === 8);
    assert.equal(fill?.note, 'a write to p is under way: the fill is dropped');
  });
});

describe('product presets retry at the product cadence', () => {
  // A 60 s outage: with the engine's default doubling (1, 2, 4, ... s) the write landed at 64 s; Hazelcast retries every
  // second and Ignite at its next flush, so the row is back within a second (Hazelcast) or a flush (Ignite) of the end.
  const outage = (preset: string): string[] => {
    const r = run(['strategy write-behind', `preset ${preset}`, 'fail db for 60s', 'write k 1', 'advance 2m', 'expect db k == 1']);
    return r.steps.filter((s) => s.action === 'queue.retry').map((s) => s.note.replace(/^.*retry in /, ''));
  };

  it('hazelcast: every second, no backoff', () => {
    const delays = outage('hazelcast');
    assert.ok(delays.length >= 58, `${delays.length} retries`);
    assert.deepEqual([...new Set(delays)], ['1s']);
  });

  it('ignite: at the next flush, every 5 s', () => {
    assert.deepEqual([...new Set(outage('ignite'))], ['5s']);
  });
});

describe('strict order: a failed batch holds back the whole queue (rgsync, RDI)', () => {
  // order:1 fails at 110 ms; bob's payment:1, acknowledged at 301 ms, must not reach the database before it.
  const lines = (order: string): string[] => [
    'strategy write-behind',
    'set writeBehind.flushInterval 100ms',
    'set writeBehind.coalescing off',
    'set writeBehind.retryDelay 5s',
    'set writeBehind.retryBackoff 1',
    `set writeBehind.order ${order}`,
    'fail db next 1 writes',
    'write order:1 "placed"',
    'at 300ms as bob write payment:1 "for order:1"',
    'advance 1s',
  ];
  const batches = (r: ScenarioResult): string[] => r.steps.filter((s) => s.action === 'db.batch').map((s) => `${s.time} ${s.outcome} ${s.writes?.join(',')}`);

  it('per-key (the default): other keys flush past the entry waiting for its retry', () => {
    const r = run([...lines('per-key'), 'expect db payment:1 == "for order:1"', 'expect db order:1 missing', 'advance 10s', 'expect db order:1 == "placed"']);
    assert.deepEqual(batches(r), ['110 error 1', '410 persisted 2', '5120 persisted 1']);
  });

  it('strict: nothing after it lands until the retry does, and then in order', () => {
    const r = run([...lines('strict'), 'expect db payment:1 missing', 'advance 10s', 'expect db order:1 == "placed"', 'expect db payment:1 == "for order:1"']);
    assert.deepEqual(batches(r), ['110 error 1', '5120 persisted 1,2']);
  });

  it('the rgsync and rdi presets read their stream in strict order', () => {
    for (const preset of ['rgsync', 'rdi']) {
      run(['strategy write-behind', `preset ${preset}`, 'fail db next 1 writes', 'write order:1 "placed"', 'at 300ms as bob write payment:1 "x"', 'advance 1s', 'expect db payment:1 missing']);
    }
  });
});

describe("dirty reads: write-through's window between the cache update and the commit", () => {
  const lines = (failing: boolean): string[] => [
    'strategy write-through',
    'load product:1 {"price": 10}',
    ...(failing ? ['fail db next 1 writes'] : []),
    'at 20ms write product:1 {"price": 12}',
    'at 25ms as bob read product:1',
    'expect value {"price": 12}',
    'advance 100ms',
  ];

  it('a read of a write that then fails counts as a dirty read, and both steps say so', () => {
    const r = run([...lines(true), 'read product:1', 'expect value {"price": 10}', 'expect metric dirtyReads == 1', 'expect metric staleReads == 0', 'expect metric failedWrites == 1']);
    const bob = r.steps.find((s) => s.client === 'bob' && s.action === 'ack');
    assert.deepEqual([bob?.time, bob?.outcome, bob?.note], [26, 'fresh', 'returned a write still in progress: its writer has not been acknowledged yet']);
    const error = r.steps.find((s) => s.action === 'error');
    assert.deepEqual([error?.time, error?.note], [32, 'the caller gets an error: database rejected the write (injected fault); transaction rolled back; 1 read already returned this value, which no store kept (a dirty read)']);
  });

  it('a read of a write that then succeeds is not dirty', () => {
    const r = run([...lines(false), 'expect metric dirtyReads == 0', 'expect db product:1 == {"price": 12}']);
    assert.equal(r.steps.find((s) => s.client === 'bob' && s.action === 'ack')?.note, 'returned a write still in progress: its writer has not been acknowledged yet');
  });

  it("the hybrid's write-through writes have the window too; no other strategy shows a write before its acknowledgement", () => {
    const dirty = ['write-behind', 'write-around', 'cache-aside', 'write-through+cache-aside'].map((strategy) => {
      const text = [...lines(true), 'read product:1'].map((l) => (l.startsWith('strategy') ? `strategy ${strategy}` : l)).filter((l) => !l.startsWith('expect'));
      return [strategy, runProgram(parseScenario(text.join('\n'))).metrics.dirtyReads];
    });
    assert.deepEqual(dirty, [['write-behind', 0], ['write-around', 0], ['cache-aside', 0], ['write-through+cache-aside', 1]]);
  });
});

describe("Ignite's backpressure: the writer stores one entry itself, and a long queue wakes the flusher", () => {
  it('a writer that finds the queue full stores only the oldest entry, one round trip, however large the batch size', () => {
    // batchSize 512 as the preset: before, the writer waited for a flush of the whole queue (here 2 batches of 2 rows).
    const r = run([
      'strategy write-behind',
      'preset ignite',
      'set writeBehind.maxQueue 4',
      'set writeBehind.batchSize 2',
      ...['a', 'b', 'c', 'd'].map((k) => `write ${k} 1`),
      'write e 1',
      'expect db a == 1',
      'expect db b missing',
      'expect metric writeLatencyMs.max == 11',
      'advance 10s',
      'expect db e == 1',
      'expect metric lostWrites == 0',
    ]);
    const stores = r.steps.filter((s) => s.action === 'db.batch').map((s) => `${s.time} ${s.client ?? 'flusher'} ${s.writes?.join(',')}`);
    assert.deepEqual(stores, ['15 app 1', '5010 flusher 2,3', '5020 flusher 4,5']);
  });

  it('flushSize: a queue longer than it flushes at once, not at the next interval', () => {
    const lines = (flushSize: string): string[] => ['strategy write-behind', `set writeBehind.flushSize ${flushSize}`, 'write a 1', 'write b 1', 'write c 1', 'advance 10s'];
    const at = (flushSize: string): number[] => run(lines(flushSize)).steps.filter((s) => s.action === 'db.batch').map((s) => s.time);
    assert.deepEqual(at('off'), [5010]);
    // The third write makes 3 pending, more than 2: the flush leaves at 3 ms and lands at 13 ms.
    assert.deepEqual(at('2'), [13]);
  });

  it('the ignite preset sets flushSize 10240 and the critical size 15360', () => {
    const wb = optionsFromProgram(parseScenario('strategy write-behind\npreset ignite\nwrite a 1')).writeBehind;
    assert.deepEqual([wb.flushSize, wb.maxQueue, wb.whenFull, wb.retryDelayMs, wb.retryBackoff], [10_240, 15_360, 'flush', 5000, 1]);
  });
});

describe('second review of the write-behind changes', () => {
  it('strict order with coalescing: a failed entry folded into a newer write of its key still holds back the whole queue', () => {
    // a1 fails at 110 ms and folds into a2, which stands behind b: b must not land before a does.
    const r = run([
      'strategy write-behind',
      'set writeBehind.order strict',
      'set writeBehind.flushInterval 100ms',
      'set writeBehind.retryDelay 1s',
      'write a 1',
      'advance 95ms',
      'fail db next 1 writes',
      'advance 10ms',
      'write b 1',
      'write a 2',
      'advance 300ms',
      'expect db b missing',
      'advance 2s',
      'expect db a == 2',
      'expect db b == 1',
    ]);
    assert.deepEqual(r.steps.filter((s) => s.action === 'db.batch').map((s) => `${s.time} ${s.outcome} ${s.writes?.join(',')}`), ['110 error 1', '1120 persisted 2,1,3']);
    assert.equal(r.steps.find((s) => s.action === 'queue.retry')?.note, '1 folded into a newer write of its key; retry in 1s');
  });

  it('strict order with whenFull flush: the writer waits for the flusher instead of storing out of turn', () => {
    const r = run(['strategy write-behind', 'set writeBehind.order strict', 'set writeBehind.whenFull flush', 'set writeBehind.maxQueue 1', 'write a 1', 'write b 1', 'expect metric writeLatencyMs.max == 4999', 'expect metric lostWrites == 0']);
    assert.equal(r.steps.find((s) => s.action === 'queue.block')?.note, 'queue full (1/1): the writer blocks until a flush makes room');
  });

  it('a WAL-kept batch that fails while its node is down counts its attempt: the requeue limit and the retry delay apply after the replay', () => {
    const lines = (restart: string): string[] => ['strategy write-behind', 'set writeBehind.flushInterval 100ms', 'set writeBehind.wal on', 'set writeBehind.requeueLimit 0', 'write a 1', 'at 95ms fail db for 1s', 'at 105ms crash cache', `at ${restart} restart cache`, 'advance 5s'];
    // Restarted before or after the batch comes back: one failed attempt, then the dead letters, the same either way.
    for (const restart of ['105ms', '200ms']) {
      const r = run([...lines(restart), 'expect metric deadLetters == 1', 'expect metric dbRoundTrips == 1', 'expect metric retries == 0']);
      assert.equal(r.steps.filter((s) => s.action === 'db.batch').length, 1, restart);
    }
    // With retries allowed, the replayed entry waits out its retry delay (1 s after the failure at 110 ms).
    const retried = run(['strategy write-behind', 'set writeBehind.requeueLimit 3', ...lines('200ms').slice(1).filter((l) => !l.includes('requeueLimit')), 'expect db a == 1', 'expect metric retries == 1']);
    assert.deepEqual(retried.steps.filter((s) => s.action === 'db.batch').map((s) => `${s.time} ${s.outcome}`), ['110 error', '1120 persisted']);
  });

  it('the write that takes the queue past flushSize says the flush starts now', () => {
    const r = run(['strategy write-behind', 'set writeBehind.flushSize 2', 'write a 1', 'write b 1', 'write c 1']);
    assert.deepEqual(r.steps.filter((s) => s.action === 'queue.enqueue').map((s) => s.note), ['queued for the next flush (1 pending)', 'queued for the next flush (2 pending)', 'queued (3 pending, more than flushSize 2): a flush starts now']);
  });
});

// Issue #2 asks for presets with the products' real defaults (../shared/reference/write-behind-in-production.md).
// Each row pins the documented knobs a preset must carry, so a value that drifts from the product fails here.
describe('product presets carry the documented defaults', () => {
  const documented: Record<string, Record<string, unknown>> = {
    // write-batch-size 1, write-coalescing true, backup member; write-delay 0 means write-through, so 1 s.
    hazelcast: { flushIntervalMs: 1000, batchSize: 1, coalescing: true, backup: true, wal: false, maxQueue: null },
    // writeBehindFlushFrequency 5000, writeBehindBatchSize 512, writeBehindCoalescing true, flush size 10240, 1.5x critical.
    ignite: { flushIntervalMs: 5000, batchSize: 512, coalescing: true, flushSize: 10_240, maxQueue: 15_360, whenFull: 'flush', wal: false, backup: false },
    // updates to a key collapse; backups on another server; write-requeue-threshold 0 (no requeue).
    coherence: { coalescing: true, backup: true, wal: false, requeueLimit: 0 },
    // maxWriteDelay 1 s, no batching, no coalescing, retryAttempts 1 at 1 s, writeBehindMaxQueueSize 0 (unbounded), full blocks.
    ehcache: { flushIntervalMs: 1000, batchSize: 1, coalescing: false, requeueLimit: 1, retryDelayMs: 1000, maxQueue: null, whenFull: 'block' },
    // batch 100, duration 100 ms, onFailedRetryInterval 5 s, a stream kept in order and durable (the WAL).
    rgsync: { flushIntervalMs: 100, batchSize: 100, retryDelayMs: 5000, wal: true, order: 'strict', coalescing: false },
    // write_batch_size 200, duration 100 ms, on_failed_retry_interval 5 s, dedup off, a dead-letter queue.
    rdi: { flushIntervalMs: 100, batchSize: 200, retryDelayMs: 5000, wal: true, coalescing: false, requeueLimit: 1 },
  };
  for (const [preset, knobs] of Object.entries(documented)) {
    it(preset, () => {
      const wb = optionsFromProgram(parseScenario(`strategy write-behind\npreset ${preset}\nwrite a 1`)).writeBehind as unknown as Record<string, unknown>;
      assert.deepEqual(Object.fromEntries(Object.keys(knobs).map((k) => [k, wb[k]])), knobs);
    });
  }
  it('covers every preset of the language', () => {
    assert.deepEqual(Object.keys(documented).sort(), [...PRESET_NAMES].sort());
  });
});

describe("a write-behind acknowledgement's note says where the write is", () => {
  const ackNotes = (settings: string[]): string[] =>
    run(['strategy write-behind', ...settings, 'write k 1'])
      .steps.filter((s) => s.action === 'ack')
      .map((s) => s.note);

  it('only the cache and its queue, without a log or a backup', () => {
    assert.deepEqual(ackNotes([]), ['acknowledged before the database has it: the write is only in the cache and its queue']);
  });

  it('the write-ahead log too, when it is on', () => {
    assert.deepEqual(ackNotes(['set writeBehind.wal on']), ['acknowledged before the database has it: the write is in the cache, its queue and the write-ahead log']);
  });

  it('a copy of the queue on the backup member, when backups are on', () => {
    assert.deepEqual(ackNotes(['set writeBehind.backup on']), ['acknowledged before the database has it: the write is in the cache and its queue, and the backup member holds a copy of the queue']);
  });

  it('both, when both are on', () => {
    assert.deepEqual(ackNotes(['set writeBehind.wal on', 'set writeBehind.backup on']), [
      'acknowledged before the database has it: the write is in the cache, its queue and the write-ahead log, and the backup member holds a copy of the queue',
    ]);
  });
});
