// The webview protocol's validator: every message type accepted in its valid form, and malformed messages rejected
// with a reason that names the problem (missing or unknown type, wrong field types, extra fields, oversized strings).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  MAX_STRING,
  WEBVIEW_MESSAGE_TYPES,
  defaultUiState,
  repairUiState,
  snippetSlotKey,
  validateWebviewMessage,
} from '../../src/views/protocol';
import type { UiState, WebviewMessage, WebviewMessageType } from '../../src/views/protocol';
import { defaultKnobs } from '../../src/model/compareView';
import type { CompareRequest } from '../../src/model/compareView';
import { defaultPlaygroundConfig } from '../../src/scenario/playground';
import type { PlaygroundConfig } from '../../src/scenario/playground';
import { SNIPPETS } from '../../src/lesson/snippets';

const COMPARE: CompareRequest = { kind: 'write-heavy', ops: 100_000, keys: 1000, seed: 7, knobs: defaultKnobs() };
const PLAYGROUND: PlaygroundConfig = {
  strategy: 'write-behind',
  preset: 'hazelcast',
  settings: { 'db.latency': 20, 'writeBehind.coalescing': false, 'cache.ttl': null, 'writeBehind.whenFull': 'reject' },
  workload: { kind: 'mixed', ops: 20_000, keys: 50, distribution: 'zipf', clients: 4, intervalMs: 10, seed: 3, preload: true },
  faults: [
    { kind: 'crash', atMs: 500, restartAfterMs: 100 },
    { kind: 'db-down', atMs: 900, forMs: 2000 },
    { kind: 'db-fail-next', atMs: 1000, writes: 3 },
  ],
};

const STATE: UiState = {
  v: 1,
  route: 'lesson',
  section: 'write-behind',
  diagrams: { 'write-behind/2': { variant: 'crash-before-flush', step: 7 }, 'snippet/write-through': { variant: null, step: 0 } },
  snippetLanguage: 'python',
};

/** One valid message of every type (the test below checks that none is missing). */
const VALID: { [K in WebviewMessageType]: Extract<WebviewMessage, { type: K }>[] } = {
  'state/ready': [{ type: 'state/ready', view: 'workbench' }, { type: 'state/ready', view: 'sidebar' }, { type: 'state/ready', view: 'sidebar', repeat: 5 }],
  'state/changed': [
    { type: 'state/changed', state: STATE },
    { type: 'state/changed', state: defaultUiState() },
    { type: 'state/changed', state: { ...STATE, route: 'playground', compare: COMPARE, playground: { config: PLAYGROUND, ran: true } } },
    { type: 'state/changed', state: { ...STATE, route: 'quiz' } },
    { type: 'state/changed', state: { ...STATE, route: 'quiz', quizReview: { attempt: 4_294_967_294, questionId: 'calc:t-wb-crash-lost' }, lessonScroll: 1840 } },
  ],
  'lesson/open': [{ type: 'lesson/open', section: 'durability' }, { type: 'lesson/open', section: null }],
  'lesson/sectionShown': [{ type: 'lesson/sectionShown', section: 'spectrum' }],
  'diagram/request': [{ type: 'diagram/request', requestId: 'write-behind/2:wal', strategy: 'write-behind', variant: 'wal' }],
  'diagram/watched': [
    { type: 'diagram/watched', strategy: 'cache-aside', variant: 'race' },
    { type: 'diagram/watched', strategy: 'write-through', variant: null },
  ],
  'snippet/openInEditor': [{ type: 'snippet/openInEditor', strategy: 'write-around', language: 'python' }],
  'snippet/copy': [{ type: 'snippet/copy', strategy: 'write-through+cache-aside', language: 'typescript' }],
  'snippet/run': [{ type: 'snippet/run', requestId: 'snippet/write-through:python', strategy: 'write-through', language: 'python' }],
  'scenario/open': [
    { type: 'scenario/open', file: 'c08-write-behind-crash-loses-writes.cachescenario', mode: 'edit' },
    { type: 'scenario/open', file: 'x10-cache-aside-basics.cachescenario', mode: 'step' },
  ],
  'command/run': [
    { type: 'command/run', command: 'takeKnowledgeCheck' },
    { type: 'command/run', command: 'compareStrategies' },
    { type: 'command/run', command: 'openExample' },
  ],
  'quiz/start': [{ type: 'quiz/start' }],
  'quiz/answer': [
    { type: 'quiz/answer', questionId: 'wt-ack', optionId: 'b' },
    { type: 'quiz/answer', questionId: 'calc:t-wb-crash-lost', optionId: 'c' },
  ],
  'quiz/finish': [{ type: 'quiz/finish' }],
  'quiz/retry': [{ type: 'quiz/retry' }],
  'quiz/openScenario': [{ type: 'quiz/openScenario', questionId: 'calc:t-wt-latency' }],
  'compare/request': [
    { type: 'compare/request', requestId: 'compare:1', request: COMPARE },
    { type: 'compare/request', requestId: 'compare:2', request: { kind: 'counters', ops: 1, keys: 1, seed: 0, knobs: { cacheLatencyMs: 0, dbLatencyMs: 0, flushIntervalMs: 1, coalescing: false } } },
  ],
  'playground/run': [
    { type: 'playground/run', requestId: 'playground:1', config: PLAYGROUND },
    { type: 'playground/run', requestId: 'playground:2', config: defaultPlaygroundConfig() },
  ],
  'playground/cancel': [{ type: 'playground/cancel', requestId: 'playground:3' }],
  'playground/export': [{ type: 'playground/export', config: PLAYGROUND }],
  'debug/jump': [{ type: 'debug/jump', scenario: '/work/scenarios/c08.cachescenario', seq: 13 }],
  'log/error': [{ type: 'log/error', message: 'TypeError: x is undefined' }, { type: 'log/error', message: '' }],
};

function rejects(raw: unknown, reason: RegExp): void {
  const r = validateWebviewMessage(raw);
  assert.equal(r.ok, false, `expected a rejection of ${JSON.stringify(raw)?.slice(0, 120)}`);
  if (!r.ok) assert.match(r.error, reason);
}

describe('validateWebviewMessage accepts', () => {
  it('has a valid sample for every message type', () => {
    assert.deepEqual(Object.keys(VALID).sort(), [...WEBVIEW_MESSAGE_TYPES].sort());
  });

  for (const [type, samples] of Object.entries(VALID)) {
    it(type, () => {
      for (const sample of samples) {
        const r = validateWebviewMessage(structuredClone(sample));
        assert.deepEqual(r, { ok: true, msg: sample });
      }
    });
  }

  it('a log message of exactly the maximum length', () => {
    assert.equal(validateWebviewMessage({ type: 'log/error', message: 'x'.repeat(MAX_STRING) }).ok, true);
  });
});

describe('validateWebviewMessage rejects', () => {
  it('values that are not objects', () => {
    rejects(undefined, /message must be an object, got undefined/);
    rejects(null, /message must be an object, got null/);
    rejects('state/ready', /message must be an object, got a string/);
    rejects([{ type: 'state/ready', view: 'sidebar' }], /message must be an object, got an array/);
  });

  it('a message without a type', () => {
    rejects({}, /^missing field "type"$/);
    rejects({ view: 'workbench' }, /^missing field "type"$/);
  });

  it('a type that is not a string', () => {
    rejects({ type: 42 }, /"type" must be a string, got number/);
    rejects({ type: null }, /"type" must be a string, got null/);
  });

  it('an unknown type, quoting it (shortened when long)', () => {
    rejects({ type: 'quiz/cheat', questionId: 'q1' }, /^unknown message type "quiz\/cheat"$/);
    rejects({ type: '__proto__' }, /unknown message type "__proto__"/);
    rejects({ type: 'constructor' }, /unknown message type "constructor"/);
    const r = validateWebviewMessage({ type: 'x'.repeat(10_000) });
    assert.ok(!r.ok && r.error.length < 120, 'the reason stays short');
  });

  it('a missing field', () => {
    rejects({ type: 'state/ready' }, /^state\/ready: missing field "view"$/);
    rejects({ type: 'diagram/request', strategy: 'write-behind', variant: 'wal' }, /missing field "requestId"/);
    rejects({ type: 'lesson/open' }, /missing field "section"/);
  });

  it('fields of the wrong type', () => {
    rejects({ type: 'lesson/sectionShown', section: 3 }, /"section" must be a lesson section id .* got number/);
    rejects({ type: 'diagram/request', requestId: 7, strategy: 'write-behind', variant: 'wal' }, /"requestId" must be a string, got number/);
    rejects({ type: 'snippet/copy', strategy: 'write-through', language: ['python'] }, /"language" must be a snippet language .* got an array/);
    rejects({ type: 'scenario/open', file: 'c01-write-through-ack-after-both.cachescenario', mode: true }, /"mode" must be a mode/);
    rejects({ type: 'log/error', message: { text: 'x' } }, /"message" must be a string, got object/);
    rejects({ type: 'debug/jump', scenario: '/a.cachescenario', seq: 0 }, /"seq" must be/);
    rejects({ type: 'debug/jump', scenario: '/a.cachescenario', seq: 2.5 }, /"seq" must be/);
    rejects({ type: 'debug/jump', seq: 3 }, /"scenario"/);
  });

  it('values outside their set', () => {
    rejects({ type: 'lesson/open', section: 'no-such-section' }, /"section" must be a lesson section id .* got "no-such-section"/);
    rejects({ type: 'diagram/request', requestId: 'a', strategy: 'write-sideways', variant: 'normal' }, /"strategy" must be a strategy/);
    rejects({ type: 'diagram/request', requestId: 'a', strategy: 'write-behind', variant: 'meteor' }, /"variant" must be a diagram variant/);
    rejects({ type: 'command/run', command: 'workbench.action.quit' }, /"command" must be a command the webview may run/);
    rejects({ type: 'state/ready', view: 'panel' }, /"view" must be a webview kind/);
  });

  it('file names that could leave the scenarios folder', () => {
    for (const file of ['../package.json', '../../x.cachescenario', 'sub/c01.cachescenario', '/etc/passwd', 'C01.cachescenario', 'c01.txt']) {
      rejects({ type: 'scenario/open', file, mode: 'edit' }, /"file" must be a bundled scenario file name/);
    }
  });

  it('fields the message does not declare', () => {
    rejects({ type: 'state/ready', view: 'sidebar', extra: 1 }, /^state\/ready: unexpected field "extra"$/);
    rejects({ type: 'state/ready', view: 'sidebar', repeat: 0 }, /"repeat" must be a whole number from 1 to 100, got 0/);
    rejects({ type: 'state/ready', view: 'sidebar', repeat: '2' }, /"repeat" must be a whole number from 1 to 100, got a string/);
    rejects({ type: 'snippet/copy', strategy: 'write-through', language: 'python', code: 'rm -rf /' }, /unexpected field "code"/);
  });

  it('huge strings', () => {
    rejects({ type: 'log/error', message: 'x'.repeat(MAX_STRING + 1) }, /"message" must be at most 2000 characters, got 2001/);
    rejects({ type: 'diagram/request', requestId: 'r'.repeat(65), strategy: 'write-behind', variant: 'wal' }, /"requestId" must be at most 64 characters/);
    rejects({ type: 'lesson/open', section: 's'.repeat(1_000_000) }, /"section" must be a lesson section id .*…"/);
    rejects({ type: 'scenario/open', file: `${'a'.repeat(200)}.cachescenario`, mode: 'edit' }, /"file" must be at most 100 characters/);
  });

  it('malformed nested UI state', () => {
    const bad = (patch: Record<string, unknown>) => ({ type: 'state/changed', state: { ...STATE, ...patch } });
    rejects(bad({ v: 2 }), /"state.v" must be the state version/);
    rejects(bad({ route: 'nowhere' }), /"state.route" must be a route/);
    rejects(bad({ diagrams: { 'a/1': { variant: 'wal', step: -1 } } }), /must be a whole number from 0 to 100000, got -1/);
    rejects(bad({ diagrams: { 'a/1': { variant: 'wal', step: 1.5 } } }), /must be a whole number/);
    rejects(bad({ diagrams: { 'bad key!': { variant: 'wal', step: 1 } } }), /key "bad key!" of .* must be letters/);
    const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`s/${i}`, { variant: null, step: 0 }]));
    rejects(bad({ diagrams: many }), /must have at most 64 entries, got 65/);
    rejects(bad({ extra: true }), /unexpected field "state.extra"/);
  });

  it('malformed quiz messages', () => {
    rejects({ type: 'quiz/answer', questionId: 'wt-ack' }, /^quiz\/answer: missing field "optionId"$/);
    rejects({ type: 'quiz/answer', questionId: 'wt-ack', optionId: 2 }, /"optionId" must be a string, got number/);
    rejects({ type: 'quiz/answer', questionId: 'wt-ack', optionId: 'b', correct: true }, /unexpected field "correct"/);
    rejects({ type: 'quiz/answer', questionId: 'x'.repeat(101), optionId: 'b' }, /"questionId" must be at most 100 characters/);
    rejects({ type: 'quiz/answer', questionId: '<img src=x>', optionId: 'b' }, /"questionId" must be letters, digits/);
    rejects({ type: 'quiz/answer', questionId: null, optionId: 'b' }, /"questionId" must be a string, got null/);
    rejects({ type: 'quiz/start', attempt: { seed: 1 } }, /^quiz\/start: unexpected field "attempt"$/);
    rejects({ type: 'quiz/finish', score: 5 }, /unexpected field "score"/);
    rejects({ type: 'quiz/openScenario' }, /missing field "questionId"/);
  });

  it('malformed comparison requests', () => {
    const req = (request: unknown) => ({ type: 'compare/request', requestId: 'c:1', request });
    rejects(req({ ...COMPARE, ops: 100_001 }), /"request" is not a valid comparison request: ops: expected a whole number from 1 to 100,000, got 100,001/);
    rejects(req({ ...COMPARE, ops: 1.5 }), /ops: expected a whole number/);
    rejects(req({ ...COMPARE, kind: 'everything' }), /kind: expected one of read-heavy, write-heavy, counters, mixed/);
    rejects(req({ ...COMPARE, knobs: { ...COMPARE.knobs, dbLatencyMs: -1 } }), /knobs.dbLatencyMs: expected a number from 0 to 60,000/);
    rejects(req({ ...COMPARE, knobs: { ...COMPARE.knobs, coalescing: 'yes' } }), /knobs.coalescing: expected true or false/);
    rejects(req({ ...COMPARE, knobs: { ...COMPARE.knobs, wal: true } }), /unexpected field "request.knobs.wal"/);
    rejects(req({ ...COMPARE, clients: 9 }), /unexpected field "request.clients"/);
    rejects(req('mixed'), /not a valid comparison request/);
    rejects({ type: 'compare/request', request: COMPARE }, /missing field "requestId"/);
  });

  it('malformed playground configs', () => {
    const run = (config: unknown) => ({ type: 'playground/run', requestId: 'p:1', config });
    rejects(run({ ...PLAYGROUND, workload: { ...PLAYGROUND.workload, ops: 20_001 } }), /"config" is not a valid playground config: workload.ops: expected a whole number from 1 to 20,000, got 20,001/);
    rejects(run({ ...PLAYGROUND, strategy: 'write-sideways' }), /strategy: expected one of/);
    rejects(run({ ...PLAYGROUND, settings: { 'db.latancy': 5 } }), /unknown setting; did you mean "db.latency"/);
    rejects(run({ ...PLAYGROUND, faults: [{ kind: 'crash', atMs: -1 }] }), /faults\[0\].atMs: expected a whole number from 0 to 3,600,000/);
    rejects(run({ ...PLAYGROUND, script: 'alert(1)' }), /script: unknown field/);
    rejects({ type: 'playground/export', config: null }, /"config" is not a valid playground config: config: expected an object, got null/);
  });

  it('malformed page inputs in the UI state', () => {
    const bad = (patch: Record<string, unknown>) => ({ type: 'state/changed', state: { ...STATE, ...patch } });
    rejects(bad({ compare: { ...COMPARE, ops: 0 } }), /"state.compare" is not a valid comparison request/);
    rejects(bad({ playground: { config: PLAYGROUND } }), /missing field "state.playground.ran"/);
    rejects(bad({ playground: { config: { ...PLAYGROUND, faults: 'none' }, ran: false } }), /not a valid playground config: faults: expected a list/);
  });

  it('malformed knowledge-check reviews and lesson scroll offsets in the UI state', () => {
    const bad = (patch: Record<string, unknown>) => ({ type: 'state/changed', state: { ...STATE, ...patch } });
    rejects(bad({ quizReview: { attempt: 1 } }), /missing field "state.quizReview.questionId"/);
    rejects(bad({ quizReview: { attempt: -1, questionId: 'wt-ack' } }), /"state.quizReview.attempt" must be a whole number from 0 to 4294967295, got -1/);
    rejects(bad({ quizReview: { attempt: 1.5, questionId: 'wt-ack' } }), /"state.quizReview.attempt" must be a whole number/);
    rejects(bad({ quizReview: { attempt: 1, questionId: '<img src=x>' } }), /"state.quizReview.questionId" must be letters, digits/);
    rejects(bad({ quizReview: { attempt: 1, questionId: 'wt-ack', feedback: 'Correct.' } }), /unexpected field "state.quizReview.feedback"/);
    rejects(bad({ quizReview: 'wt-ack' }), /state.quizReview must be an object, got a string/);
    rejects(bad({ lessonScroll: -3 }), /"state.lessonScroll" must be a whole number from 0 to 1000000, got -3/);
    rejects(bad({ lessonScroll: 12.5 }), /"state.lessonScroll" must be a whole number/);
    rejects(bad({ lessonScroll: 1_000_001 }), /"state.lessonScroll" must be a whole number from 0 to 1000000/);
    rejects(bad({ lessonScroll: '600' }), /"state.lessonScroll" must be a whole number/);
  });

  it('objects whose fields throw when read, without throwing itself', () => {
    const hostile = new Proxy({}, {
      ownKeys: () => {
        throw new Error('no keys for you');
      },
      has: () => true,
      get: () => 'state/ready',
    });
    const r = validateWebviewMessage(hostile);
    assert.deepEqual(r, { ok: false, error: 'message could not be read: no keys for you' });
  });
});

describe('the names a snippet run goes by', () => {
  // The hybrid's strategy name has a "+": its snippet run was refused ("requestId" must be letters, digits and
  // : . / _ -), so the lesson's Run it under "Write-through plus cache-aside" waited on "Running the scenario…" forever.
  it('are accepted for every snippet, the hybrid\'s included: the run request, its saved state and a stored state', () => {
    for (const { strategy, language } of SNIPPETS) {
      const slot = snippetSlotKey(strategy);
      // <cw-diagram-slot> names a snippet run `<slot>:<language>`.
      const run = { type: 'snippet/run', requestId: `${slot}:${language}`, strategy, language };
      assert.deepEqual(validateWebviewMessage(run), { ok: true, msg: run }, `${strategy} (${language})`);
      const state: UiState = { ...STATE, diagrams: { ...STATE.diagrams, [slot]: { variant: null, step: 3 } } };
      assert.equal(validateWebviewMessage({ type: 'state/changed', state }).ok, true, `the saved state of ${slot}`);
      assert.deepEqual(repairUiState(state), state, `a stored state keeps ${slot}`);
    }
    assert.ok(SNIPPETS.some((s) => s.strategy === 'write-through+cache-aside'), 'the hybrid has a snippet');
  });
});

describe('repairUiState', () => {
  it('falls back to the default state for anything unusable', () => {
    for (const raw of [undefined, null, 3, 'x', [], { v: 9 }]) assert.deepEqual(repairUiState(raw), defaultUiState());
  });

  it('keeps every valid part and drops the rest', () => {
    const repaired = repairUiState({
      ...STATE,
      route: 'nowhere',
      snippetLanguage: 'cobol',
      diagrams: { ...STATE.diagrams, 'x/1': { variant: 'meteor', step: 1 }, 'y/2': 'junk' },
    });
    assert.deepEqual(repaired, { ...STATE, route: 'lesson', snippetLanguage: 'typescript' });
  });

  it('keeps valid page inputs and drops invalid ones', () => {
    const kept = repairUiState({ ...STATE, route: 'compare', compare: COMPARE, playground: { config: PLAYGROUND, ran: true } });
    assert.deepEqual(kept, { ...STATE, route: 'compare', compare: COMPARE, playground: { config: PLAYGROUND, ran: true } });
    const dropped = repairUiState({ ...STATE, compare: { ...COMPARE, seed: -1 }, playground: { config: { ...PLAYGROUND, strategy: 'x' }, ran: true } });
    assert.deepEqual(dropped, STATE);
    assert.deepEqual(repairUiState({ ...STATE, playground: { config: PLAYGROUND, ran: 'yes' } }), STATE);
  });

  it('keeps a valid knowledge-check review and lesson scroll offset, and drops invalid ones', () => {
    const review = { attempt: 123_456, questionId: 'wt-ack' };
    assert.deepEqual(repairUiState({ ...STATE, quizReview: review, lessonScroll: 600 }), { ...STATE, quizReview: review, lessonScroll: 600 });
    assert.deepEqual(repairUiState({ ...STATE, quizReview: { ...review, extra: 1 }, lessonScroll: -1 }), STATE);
    assert.deepEqual(repairUiState({ ...STATE, quizReview: { attempt: 'x', questionId: 'wt-ack' }, lessonScroll: Number.NaN }), STATE);
  });
});

// Whatever a webview sends (a compromised or buggy page, an old build), the host's validator answers; it never throws.
describe('validateWebviewMessage and repairUiState on arbitrary input', () => {
  const samples = Object.values(VALID).flat() as Record<string, unknown>[];

  /** `value` with the thing at a random path replaced, or deleted. */
  function damage(value: unknown, path: readonly number[], replacement: unknown, remove: boolean): unknown {
    if (path.length === 0 || value === null || typeof value !== 'object') return replacement;
    const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...(value as unknown[])] : { ...(value as Record<string, unknown>) };
    const keys = Object.keys(copy);
    if (keys.length === 0) return replacement;
    const key = keys[(path[0] as number) % keys.length] as string;
    const rec = copy as Record<string, unknown>;
    if (remove && path.length === 1) delete rec[key];
    else rec[key] = damage(rec[key], path.slice(1), replacement, remove);
    return copy;
  }

  const damaged = fc
    .record({ i: fc.nat(), path: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), replacement: fc.anything({ maxDepth: 2 }), remove: fc.boolean() })
    .map(({ i, path, replacement, remove }) => damage(structuredClone(samples[i % samples.length]), path, replacement, remove));

  it('answers any value, and any damaged valid message, with ok or a bounded reason; what it accepts it passes on unchanged', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), damaged), (raw) => {
        const before = JSON.stringify(raw) ?? 'undefined';
        const r = validateWebviewMessage(raw);
        if (r.ok) assert.deepEqual(r.msg, raw);
        // Bounded: a reason quotes at most five problems, each shortened (a page could send thousands).
        else assert.ok(typeof r.error === 'string' && r.error.length > 0 && r.error.length <= 4000, r.error);
        assert.equal(JSON.stringify(raw) ?? 'undefined', before, 'the validator changed its input');
      }),
      { numRuns: 3000 },
    );
  });

  it('repairs any stored UI state into one it accepts, and a repaired state repairs to itself', () => {
    const states = fc.oneof(
      fc.anything(),
      damaged.map((m) => (m !== null && typeof m === 'object' && 'state' in m ? (m as { state: unknown }).state : m)),
    );
    fc.assert(
      fc.property(states, (raw) => {
        const repaired = repairUiState(raw);
        assert.deepEqual(repairUiState(structuredClone(repaired)), repaired);
        assert.equal(validateWebviewMessage({ type: 'state/changed', state: repaired }).ok, true, JSON.stringify(repaired));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('fields with names every object inherits', () => {
  it('are unexpected like any undeclared field, at the top level and inside the state', () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
      const msg = JSON.parse(`{"type": "quiz/start", "${name}": "x"}`) as unknown;
      const r = validateWebviewMessage(msg);
      assert.equal(r.ok, false, name);
      assert.match(r.ok ? '' : r.error, new RegExp(`unexpected field "${name}"`));
    }
    const state = JSON.parse(JSON.stringify(defaultUiState())) as Record<string, unknown>;
    state['constructor'] = 'x'.repeat(10);
    assert.equal(validateWebviewMessage({ type: 'state/changed', state }).ok, false);
  });

  it('a diagram slot named __proto__ is refused, and dropped when a stored state is repaired', () => {
    const state = JSON.parse(JSON.stringify(defaultUiState())) as { diagrams: Record<string, unknown> };
    const diagrams = JSON.parse('{"__proto__": {"variant": null, "step": 3}, "write-behind/0": {"variant": null, "step": 2}}') as Record<string, unknown>;
    state.diagrams = diagrams;
    const r = validateWebviewMessage({ type: 'state/changed', state });
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error, /must not be "__proto__"/);
    const repaired = repairUiState(state);
    assert.deepEqual(Object.keys(repaired.diagrams), ['write-behind/0']);
    assert.equal(Object.getPrototypeOf(repaired.diagrams), Object.prototype);
  });
});
