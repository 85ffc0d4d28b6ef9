// Lines that change nothing say so (found by an audit of the CLI, where each passed in silence while a second preset,
// a restart of a running node and a recover db with no fault already drew a warning): a setting set again further
// down, a client's delay for a client no `as` line names, and a crash or shutdown of a node already down. Each is a
// warning: the run and its exit code are unchanged.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../../src/scenario/parser';
import { runProgram } from '../../src/scenario/runner';

const warnings = (source: string): string[] => parseScenario(source).diagnostics.filter((d) => d.severity === 'warning').map((d) => `${d.line}:${d.column}-${d.endColumn} ${d.message}`);

describe('set lines that change nothing', () => {
  it('a setting set again: the earlier line is named, the last one wins', () => {
    assert.deepEqual(warnings('strategy write-through\nset cache.ttl 1s\nset cache.capacity 5\nset cache.ttl 2s\nread k'), [
      '2:1-17 cache.ttl is set again on line 4; settings apply to the whole run and the last line wins, so this one changes nothing',
    ]);
    const r = runProgram(parseScenario('strategy write-through\nset cache.ttl 1s\nset cache.ttl 2s\nload k 1\nread k\nadvance 1500ms\nexpect cache k == 1'));
    assert.ok(r.ok, 'the last value (2s) applies');
  });

  it('three times: each line before the last is named with the next one', () => {
    assert.deepEqual(
      warnings('strategy write-behind\nset writeBehind.wal on\nset writeBehind.wal off\nset writeBehind.wal on').map((w) => w.slice(0, 50)),
      ['2:1-23 writeBehind.wal is set again on line 3; set', '3:1-24 writeBehind.wal is set again on line 4; set'],
    );
  });

  it("a client's delay for a client no as line names, with the near name when only the case differs", () => {
    assert.deepEqual(warnings('strategy write-through\nset client.bob.delay 5ms\nas Bob read k'), [
      '2:1-25 no operation here runs as bob (no as bob line), so its delay changes nothing (did you mean Bob? client names are case-sensitive)',
    ]);
    assert.deepEqual(warnings('strategy write-through\nset client.carol.delay 5ms\nread k'), ['2:1-27 no operation here runs as carol (no as carol line), so its delay changes nothing']);
    assert.deepEqual(warnings('strategy write-through\nset client.bob.delay 5ms\nat 1ms as bob read k'), []);
    assert.deepEqual(warnings('strategy write-through\nset client.app.delay 5ms\nread k'), [], 'app is the client of every line without as');
  });

  it('a writeBehind setting under another strategy draws nothing: the c17 files run the same lines under every strategy', () => {
    assert.deepEqual(warnings('strategy write-through\nset writeBehind.flushInterval 1s\nread k'), []);
  });
});

describe('a client named as a lane of the trace', () => {
  it('db and nodeN draw a warning at the name; other names do not', () => {
    assert.deepEqual(warnings('strategy write-through\nas db read k\nat 1ms as node1 write k 1\nas node_1 read k\nas dbx read k'), [
      "2:4-6 db is also the name of the database in the trace, so this client's hops would read as the database's; pick another name, like bob",
      "3:11-16 node1 is also the name of a cache node in the trace, so this client's hops would read as the node's; pick another name, like bob",
    ]);
  });
});

describe('faults that change nothing', () => {
  const runWarnings = (source: string): string[] => {
    const program = parseScenario(source);
    assert.deepEqual(program.diagnostics.filter((d) => d.severity === 'error'), []);
    return runProgram(program).warnings.map((w) => `${w.line} ${w.message}`);
  };

  it('a crash or shutdown of a node already down is named, with how it went down', () => {
    assert.deepEqual(runWarnings('strategy write-behind\nwrite a 1\ncrash cache\ncrash cache\nshutdown cache\nrestart cache\nshutdown cache\nshutdown cache node1'), [
      '4 node1 is already down (it crashed earlier and has not restarted), so crash cache does nothing',
      '5 node1 is already down (it crashed earlier and has not restarted), so shutdown cache does nothing',
      '8 node1 is already down (it shut down earlier and has not restarted), so shutdown cache does nothing',
    ]);
  });

  it('a node still draining its queue after a shutdown can still crash or be shut down again: no warning', () => {
    const source = 'strategy write-behind\nset db.latency 50ms\nwrite a 1\nwrite b 2\nshutdown cache\nshutdown cache timeout 10ms\nat 5ms crash cache';
    assert.deepEqual(runWarnings(source), []);
    const r = runProgram(parseScenario(source));
    assert.ok(r.steps.some((s) => s.action === 'crash' && s.line === 7), 'the crash ended the drain');
  });

  it('the run and its verdict are unchanged', () => {
    const r = runProgram(parseScenario('strategy write-behind\nwrite a 1\ncrash cache\ncrash cache\nexpect metric lostWrites == 1'));
    assert.equal(r.ok, true);
    assert.equal(r.warnings.length, 1);
  });
});
