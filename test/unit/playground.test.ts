// The strategy playground: config validation messages, the exported `.cachescenario` text (header, settings, preload,
// open-loop schedule, faults), and that running the export independently reproduces the playground run exactly.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { OpStream } from '../../src/model/workload';
import { parseScenario } from '../../src/scenario/parser';
import { runProgram } from '../../src/scenario/runner';
import {
  PLAYGROUND_LIMITS,
  defaultPlaygroundConfig,
  formatDuration,
  issueTime,
  playgroundToScenario,
  playgroundWorkloadSpec,
  runPlayground,
  validatePlaygroundConfig,
} from '../../src/scenario/playground';
import type { PlaygroundConfig } from '../../src/scenario/playground';

const sha256 = (v: unknown): string => createHash('sha256').update(JSON.stringify(v)).digest('hex');

function config(edit: (c: PlaygroundConfig) => void = () => {}): PlaygroundConfig {
  const c = defaultPlaygroundConfig();
  c.workload.ops = 60;
  c.workload.keys = 8;
  edit(c);
  return c;
}

/** The errors validatePlaygroundConfig reports for `raw` (fails the test if it accepts it). */
function errorsOf(raw: unknown): string[] {
  const v = validatePlaygroundConfig(raw);
  assert.equal(v.ok, false, 'expected the config to be rejected');
  return v.ok ? [] : v.errors;
}

function withRaw(edit: (c: Record<string, unknown>) => void): unknown {
  const c = JSON.parse(JSON.stringify(config())) as Record<string, unknown>;
  edit(c);
  return c;
}

describe('validatePlaygroundConfig', () => {
  it('accepts the default config and fills in preload', () => {
    const c = config();
    delete c.workload.preload;
    const v = validatePlaygroundConfig(c);
    assert.ok(v.ok);
    assert.equal(v.config.workload.preload, true);
    assert.notEqual(v.config, c);
  });

  it('names unknown settings and suggests the closest one', () => {
    const errors = errorsOf(withRaw((c) => (c.settings = { 'cache.capcity': 10 })));
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /^settings\["cache\.capcity"\]: unknown setting; did you mean "cache\.capacity"\?/);
  });

  it('reports out-of-range and mistyped values with their path', () => {
    const errors = errorsOf(
      withRaw((c) => {
        c.settings = { 'cache.latency': -1, 'writeBehind.flushInterval': 2.5, 'writeBehind.coalescing': 'yes', 'writeBehind.whenFull': 'drop', 'cache.ttl': 'off', 'client.c4.delay': 5 };
        c.workload = { ...(c.workload as object), ops: 50_000, clients: 0, distribution: 'zipfian', intervalMs: '10' };
      }),
    );
    const expected = [
      /^settings\["cache\.latency"\]: expected a whole number from 0 to 60,000 ms, got -1$/,
      /^settings\["writeBehind\.flushInterval"\]: expected a whole number from 0 to 3,600,000 ms, got 2\.5$/,
      /^settings\["writeBehind\.coalescing"\]: expected true \(on\) or false \(off\), got "yes"$/,
      /^settings\["writeBehind\.whenFull"\]: expected one of block, reject, flush, got "drop"$/,
      /^settings\["cache\.ttl"\]: expected a whole number of ms, or null for off, got "off"$/,
      /^workload\.ops: expected a whole number from 1 to 20,000, got 50,000$/,
      /^workload\.distribution: expected one of uniform, zipf, got "zipfian"$/,
      /^workload\.clients: expected a whole number from 1 to 64, got 0$/,
      /^workload\.intervalMs: expected a whole number from 1 to [\d,]+ ms, got "10"$/,
    ];
    assert.equal(errors.length, expected.length, errors.join('\n'));
    for (const re of expected) assert.ok(errors.some((e) => re.test(e)), `missing ${re}: got\n${errors.join('\n')}`);
  });

  it('caps ops at PLAYGROUND_LIMITS.maxOps', () => {
    assert.equal(PLAYGROUND_LIMITS.maxOps, 20_000);
    assert.ok(validatePlaygroundConfig(config((c) => (c.workload.ops = 20_000))).ok);
    assert.match(errorsOf(config((c) => (c.workload.ops = 20_001))).join(), /workload\.ops: expected a whole number from 1 to 20,000, got 20,001/);
  });

  it('checks strategy, preset, faults and unknown fields', () => {
    const errors = errorsOf(
      withRaw((c) => {
        c.strategy = 'write-thru';
        c.preset = 'ignit';
        c.colour = 'blue';
        c.settings = { 'cache.nodes': 2 };
        c.faults = [
          { kind: 'crash', atMs: 10, node: 3 },
          { kind: 'explode', atMs: 1 },
          { kind: 'db-down', atMs: 5 },
          { kind: 'db-fail-next', atMs: -1, writes: 2, extra: true },
          'crash',
        ];
      }),
    );
    const expected = [
      /^colour: unknown field/,
      /^strategy: expected one of write-through, .*; did you mean "write-through"\?$/,
      /^preset: expected one of hazelcast, .*; did you mean "ignite"\?$/,
      /^faults\[0\]\.node: node3 does not exist: cache\.nodes is 2$/,
      /^faults\[1\]\.kind: expected one of crash, shutdown, db-down, db-fail-next, db-lose-replies, db-refuse-key, got "explode"$/,
      /^faults\[2\]\.forMs: expected a whole number from 1 to 3,600,000 ms, got undefined$/,
      /^faults\[3\]\.extra: unknown field/,
      /^faults\[3\]\.atMs: expected a whole number from 0 to 3,600,000 ms, got -1$/,
      /^faults\[4\]: expected a fault object, got "crash"$/,
    ];
    assert.equal(errors.length, expected.length, errors.join('\n'));
    for (const re of expected) assert.ok(errors.some((e) => re.test(e)), `missing ${re}: got\n${errors.join('\n')}`);
  });

  it('rejects things that are not configs at all', () => {
    assert.deepEqual(errorsOf(null), ['config: expected an object, got null']);
    assert.deepEqual(errorsOf([1]), ['config: expected an object, got an array']);
    assert.ok(errorsOf({}).length >= 3);
  });
});

describe('playgroundToScenario', () => {
  const c = config((x) => {
    x.strategy = 'write-behind';
    x.preset = 'ignite';
    x.settings = { 'writeBehind.flushInterval': 5000, 'db.latency': 250, 'writeBehind.coalescing': false, 'cache.ttl': null, 'cache.nodes': 2, 'client.c2.delay': 3 };
    x.faults = [
      { kind: 'crash', atMs: 100, node: 2, restartAfterMs: 50 },
      { kind: 'db-down', atMs: 30, forMs: 10_000 },
      { kind: 'db-fail-next', atMs: 70, writes: 2 },
    ];
  });
  const text = playgroundToScenario(c);
  const lines = text.split('\n');

  it('opens with a header saying where it came from', () => {
    assert.match(lines[0] ?? '', /^# Exported from the Cache Workbench playground/);
    assert.match(text, /^# Workload: mixed, 60 operations on 8 keys \(zipf\), seed 1; 4 clients, each issuing one operation every 10ms \(open loop\); keys preloaded\.$/m);
    // Settings are counted as set, whatever their value (a value may equal its default).
    assert.match(text, /^# Setup: write-behind, preset ignite, 6 settings set below, 2 cache nodes\.$/m);
    assert.match(text, /^# Faults: crash node2 at 100ms, restarted 50ms later; database down at 30ms for 10s; the next 2 database writes fail from 70ms\.$/m);
  });

  it('writes the strategy, preset and settings in a fixed order with the language\'s units', () => {
    const setup = lines.filter((l) => /^(strategy|preset|set) /.test(l));
    assert.deepEqual(setup, [
      'strategy write-behind',
      'preset ignite',
      'set cache.ttl off',
      'set cache.nodes 2',
      'set db.latency 250ms',
      'set writeBehind.flushInterval 5s',
      'set writeBehind.coalescing off',
      'set client.c2.delay 3ms',
    ]);
    assert.deepEqual(['1ms', '250ms', '5s', '90s', '2m', '1h', '0ms'], [1, 250, 5000, 90_000, 120_000, 3_600_000, 0].map(formatDuration));
  });

  it('preloads every key and issues the seeded operations on the open-loop schedule', () => {
    assert.deepEqual(lines.filter((l) => l.startsWith('load ')), Array.from({ length: 8 }, (_, k) => `load key:${k} {"n": 0}`));
    const ops = lines.filter((l) => / as c\d+ /.test(l));
    assert.equal(ops.length, 60);
    const stream = new OpStream(playgroundWorkloadSpec(c.workload));
    ops.forEach((line, n) => {
      const o = stream.next();
      assert.ok(o);
      const client = n % 4;
      const key = `key:${o.key}`;
      const body = o.kind === 'write' ? `write ${key} {"n": ${n + 1}}` : `${o.kind} ${key}`;
      const via = o.kind === 'read-db' ? '' : ` via node${(client % 2) + 1}`;
      assert.equal(line, `at ${issueTime(n, 4, 10)}ms as c${client + 1} ${body}${via}`);
    });
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((n) => issueTime(n, 4, 10)), [0, 2, 5, 7, 10, 12]);
  });

  it('interleaves the faults by time, before operations of the same instant', () => {
    const timed = lines.filter((l) => l.startsWith('at ')).map((l) => Number(/^at (\d+)ms/.exec(l)?.[1]));
    assert.deepEqual(timed, [...timed].sort((a, b) => a - b));
    const at = (s: string): number => lines.indexOf(s);
    assert.ok(at('at 30ms fail db for 10s') > 0);
    assert.ok(at('at 70ms fail db next 2 writes') > at('at 30ms fail db for 10s'));
    assert.ok(at('at 100ms crash cache node2') > at('at 70ms fail db next 2 writes'));
    assert.ok(at('at 150ms restart cache node2') > at('at 100ms crash cache node2'));
    const firstOpAt100 = lines.findIndex((l) => /^at 100ms as /.test(l));
    assert.ok(firstOpAt100 > at('at 100ms crash cache node2'));
  });

  it('parses without any diagnostic', () => {
    assert.deepEqual(parseScenario(text).diagnostics, []);
  });

  it('writes counters as increments on rows preloaded with 0, and faults past the last operation at the end', () => {
    const t = playgroundToScenario(config((x) => {
      x.workload.kind = 'counters';
      x.workload.preload = true;
      x.faults = [{ kind: 'crash', atMs: 1_000_000 }];
    })).trimEnd().split('\n');
    assert.ok(t.includes('load key:0 0'));
    assert.ok(t.some((l) => / incr key:\d+$/.test(l)));
    assert.ok(!t.some((l) => / write /.test(l)));
    assert.equal(t[t.length - 1], 'at 1000000ms crash cache node1');
  });
});

describe('runPlayground', () => {
  const c = config((x) => {
    x.workload.kind = 'write-heavy';
    x.settings = { 'writeBehind.flushInterval': 200 };
    x.faults = [{ kind: 'crash', atMs: 120, restartAfterMs: 20 }, { kind: 'db-fail-next', atMs: 400, writes: 1 }];
  });
  const run = runPlayground(c, 30);

  it('runs exactly the exported text', () => {
    assert.equal(run.scenarioText, playgroundToScenario(c));
    const v = validatePlaygroundConfig(c);
    assert.ok(v.ok);
    assert.deepEqual(run.config, v.config);
  });

  it('is reproduced by parsing and running the export independently: same metrics, same steps', () => {
    const program = parseScenario(run.scenarioText);
    assert.deepEqual(program.diagnostics.filter((d) => d.severity === 'error'), []);
    const again = runProgram(program);
    assert.deepEqual(again.metrics, run.result.metrics);
    assert.equal(sha256(again.steps), sha256(run.result.steps));
    assert.equal(again.steps.length, run.result.steps.length);
    assert.deepEqual(again.errors, []);
    // The crash hit a write-behind queue with something in it: the run is not trivially empty.
    assert.ok(run.result.metrics.acknowledgedWrites > 0);
    assert.ok(run.result.steps.some((s) => s.action === 'crash'));
  });

  it('ends its series on the run\'s final metrics', () => {
    const s = run.series;
    const last = s.times.length - 1;
    assert.equal(s.times[last], s.endMs);
    assert.equal(s.lostWrites[last], run.result.metrics.lostWrites);
    assert.equal(s.dbWrites[last], run.result.metrics.dbWrites);
  });

  it('throws on an invalid config, naming the problem', () => {
    assert.throws(() => runPlayground(config((x) => (x.workload.ops = 0))), /invalid playground config: workload\.ops: expected a whole number from 1 to 20,000, got 0/);
  });
});

describe('the playground\'s shutdown fault', () => {
  it('is checked field by field: node, timeout and restart, and nothing else', () => {
    const ok = validatePlaygroundConfig(config((x) => {
      x.settings = { 'cache.nodes': 2 };
      x.faults = [{ kind: 'shutdown', atMs: 100, node: 2, timeoutMs: 0, restartAfterMs: 50 }, { kind: 'shutdown', atMs: 5 }];
    }));
    assert.ok(ok.ok);
    assert.deepEqual(ok.config.faults, [{ kind: 'shutdown', atMs: 100, node: 2, timeoutMs: 0, restartAfterMs: 50 }, { kind: 'shutdown', atMs: 5 }]);
    assert.deepEqual(
      errorsOf(withRaw((c) => {
        c.faults = [{ kind: 'shutdown', atMs: 10, timeoutMs: -5 }, { kind: 'shutdown', atMs: 10, node: 3 }, { kind: 'shutdown', atMs: 10, forMs: 5 }];
      })),
      [
        'faults[0].timeoutMs: expected a whole number from 0 to 3,600,000 ms, got -5',
        'faults[1].node: node3 does not exist: cache.nodes is 1',
        'faults[2].forMs: unknown field; expected kind, atMs, node, timeoutMs, restartAfterMs',
      ],
    );
  });

  it('exports as a shutdown line (its timeout only when given) and a restart, described in the header', () => {
    const text = playgroundToScenario(config((x) => {
      x.faults = [{ kind: 'shutdown', atMs: 100, timeoutMs: 2000, restartAfterMs: 500 }, { kind: 'shutdown', atMs: 900 }, { kind: 'shutdown', atMs: 950, timeoutMs: 0 }];
    }));
    const lines = text.split('\n');
    assert.ok(lines.includes('at 100ms shutdown cache node1 timeout 2s'));
    assert.ok(lines.includes('at 600ms restart cache node1'));
    assert.ok(lines.includes('at 900ms shutdown cache node1'));
    assert.match(text, /^# Faults: shut down node1 at 100ms, waiting at most 2s for its queue, restarted 500ms later; shut down node1 at 900ms \(not restarted\); shut down node1 at 950ms, not waiting for its queue \(not restarted\)\.$/m);
    assert.deepEqual(parseScenario(text).diagnostics, []);
  });

  it('runs: a shutdown that does not wait loses what is queued, one that waits loses nothing', () => {
    const lost = (timeoutMs: number | undefined): number => {
      const c = config((x) => {
        x.workload.kind = 'write-heavy';
        x.settings = { 'writeBehind.flushInterval': 60_000 };
        x.faults = [timeoutMs === undefined ? { kind: 'shutdown', atMs: 300 } : { kind: 'shutdown', atMs: 300, timeoutMs }];
      });
      const run = runPlayground(c, 30);
      assert.ok(run.result.steps.some((s) => s.action === 'shutdown'));
      return run.result.metrics.lostWrites;
    };
    assert.ok(lost(0) > 0, 'timeout 0 loses the queue');
    assert.equal(lost(undefined), 0);
  });
});

describe("the playground's lost-replies fault", () => {
  it('is checked field by field: a count of replies from 1, and nothing else', () => {
    const ok = validatePlaygroundConfig(config((x) => {
      x.faults = [{ kind: 'db-lose-replies', atMs: 100, replies: 2 }];
    }));
    assert.ok(ok.ok);
    assert.deepEqual(ok.config.faults, [{ kind: 'db-lose-replies', atMs: 100, replies: 2 }]);
    const errors = errorsOf(withRaw((c) => {
      c.faults = [{ kind: 'db-lose-replies', atMs: 10, replies: 0 }, { kind: 'db-lose-replies', atMs: 10, writes: 2 }];
    }));
    assert.equal(errors[0], 'faults[0].replies: expected a whole number from 1 to 1,000, got 0');
    assert.ok(errors.includes('faults[1].writes: unknown field; expected kind, atMs, replies'), errors.join('\n'));
  });

  it('exports as a fail db next N replies line, described in the header', () => {
    const text = playgroundToScenario(config((x) => {
      x.faults = [{ kind: 'db-lose-replies', atMs: 100, replies: 1 }, { kind: 'db-lose-replies', atMs: 200, replies: 3 }];
    }));
    const lines = text.split('\n');
    assert.ok(lines.includes('at 100ms fail db next 1 reply'));
    assert.ok(lines.includes('at 200ms fail db next 3 replies'));
    assert.match(text, /^# Faults: the next database commit loses its reply from 100ms; the next 3 database commits lose their replies from 200ms\.$/m);
    assert.deepEqual(parseScenario(text).diagnostics, []);
  });

  it('runs: under write-behind counters, at least once applies a batch twice, exactly once does not', () => {
    const duplicates = (delivery: string): number => {
      const c = config((x) => {
        x.strategy = 'write-behind';
        x.workload.kind = 'counters';
        x.settings = { 'writeBehind.flushInterval': 200, 'writeBehind.delivery': delivery };
        x.faults = [{ kind: 'db-lose-replies', atMs: 100, replies: 1 }];
      });
      const run = runPlayground(c, 30);
      assert.equal(run.result.metrics.lostWrites, 0);
      return run.result.metrics.duplicateWrites;
    };
    assert.ok(duplicates('at-least-once') > 0, 'the replayed batch counts twice');
    assert.equal(duplicates('exactly-once'), 0);
  });
});

describe("the playground's poison-row fault", () => {
  it('is checked field by field: a key number of the workload and a duration from 1 ms', () => {
    const ok = validatePlaygroundConfig(config((x) => {
      x.faults = [{ kind: 'db-refuse-key', atMs: 100, key: 0, forMs: 500 }];
    }));
    assert.ok(ok.ok);
    assert.deepEqual(ok.config.faults, [{ kind: 'db-refuse-key', atMs: 100, key: 0, forMs: 500 }]);
    const keys = config().workload.keys;
    const errors = errorsOf(withRaw((c) => {
      c.faults = [{ kind: 'db-refuse-key', atMs: 10, key: keys, forMs: 0 }, { kind: 'db-refuse-key', atMs: 10, key: 1 }];
    }));
    assert.ok(errors.includes(`faults[0].key: expected a whole number from 0 to ${(keys - 1).toLocaleString('en-US')}, got ${keys.toLocaleString('en-US')}`), errors.join('\n'));
    assert.ok(errors.includes('faults[0].forMs: expected a whole number from 1 to 3,600,000 ms, got 0'), errors.join('\n'));
    assert.ok(errors.some((e) => e.startsWith('faults[1].forMs: ')), errors.join('\n'));
  });

  it('exports as fail db key, then recover db key for that row only, described in the header', () => {
    const text = playgroundToScenario(config((x) => {
      x.faults = [{ kind: 'db-refuse-key', atMs: 100, key: 2, forMs: 900 }, { kind: 'db-down', atMs: 500, forMs: 2000 }];
    }));
    const lines = text.split('\n');
    assert.ok(lines.includes('at 100ms fail db key key:2'));
    assert.ok(lines.includes('at 1000ms recover db key key:2'));
    assert.match(text, /^# Faults: the database refuses every write of key:2 from 100ms for 900ms \(a poison row\); database down at 500ms for 2s\.$/m);
    assert.deepEqual(parseScenario(text).diagnostics, []);
  });

  it('runs: under write-behind with a requeue limit the poison row\'s batches go to the dead letters; fixed in time, nothing is lost', () => {
    const run = (forMs: number, requeueLimit: number | null): { lost: number; dead: number } => {
      const c = config((x) => {
        x.strategy = 'write-behind';
        x.workload.distribution = 'zipf';
        x.settings = { 'writeBehind.flushInterval': 200, 'writeBehind.batchSize': 5, 'writeBehind.retryDelay': 100, 'writeBehind.retryBackoff': 1, 'writeBehind.requeueLimit': requeueLimit };
        x.faults = [{ kind: 'db-refuse-key', atMs: 0, key: 0, forMs }];
      });
      const m = runPlayground(c, 30).result.metrics;
      return { lost: m.lostWrites, dead: m.deadLetters };
    };
    const dropped = run(3_000_000, 2);
    assert.ok(dropped.dead > 0 && dropped.lost > 0, JSON.stringify(dropped));
    assert.deepEqual(run(300, null), { lost: 0, dead: 0 });
  });
});
