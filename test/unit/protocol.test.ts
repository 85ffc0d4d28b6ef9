// The webview protocol's validator: every message type accepted in its valid form, and malformed messages rejected
// with a reason that names the problem (missing or unknown type, wrong field types, extra fields, oversized strings).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_STRING,
  WEBVIEW_MESSAGE_TYPES,
  defaultUiState,
  repairUiState,
  validateWebviewMessage,
} from '../../src/views/protocol';
import type { UiState, WebviewMessage, WebviewMessageType } from '../../src/views/protocol';

const STATE: UiState = {
  v: 1,
  route: 'lesson',
  section: 'write-behind',
  diagrams: { 'write-behind/2': { variant: 'crash-before-flush', step: 7 }, 'snippet/write-through': { variant: null, step: 0 } },
  snippetLanguage: 'python',
};

/** One valid message of every type (the test below checks that none is missing). */
const VALID: { [K in WebviewMessageType]: Extract<WebviewMessage, { type: K }>[] } = {
  'state/ready': [{ type: 'state/ready', view: 'workbench' }, { type: 'state/ready', view: 'sidebar' }],
  'state/changed': [{ type: 'state/changed', state: STATE }, { type: 'state/changed', state: defaultUiState() }],
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
    rejects({ type: 'quiz/answer', questionId: 'q1' }, /^unknown message type "quiz\/answer"$/);
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
    rejects(bad({ route: 'quiz' }), /"state.route" must be a route/);
    rejects(bad({ diagrams: { 'a/1': { variant: 'wal', step: -1 } } }), /must be a whole number from 0 to 100000, got -1/);
    rejects(bad({ diagrams: { 'a/1': { variant: 'wal', step: 1.5 } } }), /must be a whole number/);
    rejects(bad({ diagrams: { 'bad key!': { variant: 'wal', step: 1 } } }), /key of .* must be letters/);
    const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`s/${i}`, { variant: null, step: 0 }]));
    rejects(bad({ diagrams: many }), /must have at most 64 entries, got 65/);
    rejects(bad({ extra: true }), /unexpected field "state.extra"/);
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
});
