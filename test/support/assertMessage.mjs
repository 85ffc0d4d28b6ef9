// Loaded ahead of every node:test file (`--import`, scripts/runNodeTests.mjs and scripts/runE2e.mjs): gives a failing
// `assert.ok` a message of its own when the test gave none.
//
// Without a message, Node 20's assert writes one by reading the test's source file at the position of the failing
// call and parsing the expression there. Under tsx that position is the transformed copy's, not the .ts file's, and at
// some positions Node 20 then reads the file in a loop that never ends: a failing test spun at full CPU and its run
// never finished (Node 24 does not). Here the message comes from the stack as tsx maps it to the .ts file: the file,
// line and column of the call, and that line's text. Plain JavaScript: worker threads a test starts inherit the
// `--import`, and tsx's loader is not in place there to read TypeScript.
import assert from 'node:assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * `file:line:col: text` of the stack frame that called `fn` (or a plain sentence when the stack has none).
 * @param {Function} fn
 * @returns {string}
 */
function callSite(fn) {
  /** @type {{ stack?: string }} */
  const holder = {};
  Error.captureStackTrace(holder, fn);
  const frame = holder.stack?.split('\n')[1]?.trim() ?? '';
  const m = /\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?$/.exec(frame);
  if (m === null) return 'the value is falsy';
  const [, where = '', line = '0', column = '0'] = m;
  const file = where.startsWith('file://') ? fileURLToPath(where) : where;
  let text = '';
  try {
    text = readFileSync(file, 'utf8').split(/\r\n|\r|\n/)[Number(line) - 1]?.trim() ?? '';
  } catch {
    // The file cannot be read: the position alone says where.
  }
  return `the value is falsy at ${file}:${line}:${column}${text === '' ? '' : `\n\n  ${text}\n`}`;
}

const original = assert.ok;

/** @param {unknown[]} args */
function ok(...args) {
  // No value at all: Node's own refusal.
  if (args.length === 0) return original();
  const [value, message] = args;
  if (value) return;
  if (message instanceof Error) throw message;
  // As Node: only null or undefined asks for a generated message; any other message is the test's own, as text.
  const generated = message === undefined || message === null;
  const text = generated ? callSite(ok) : String(message);
  const error = new assert.AssertionError({ message: text, actual: value, expected: true, operator: '==', stackStartFn: ok });
  error.generatedMessage = generated;
  throw error;
}

// `node:assert/strict` is `assert.strict`, which took its own copy of `ok`; both are replaced.
assert.ok = ok;
assert.strict.ok = ok;
