// test/support/assertMessage.mjs, which every node:test run loads: a failing assert.ok without a message names its
// call's file, line and text (Node 20's own message read the .ts file at the transformed copy's position and could
// loop forever), and everything else behaves as Node's assert.ok.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const FIXTURE = 'test/unit/fixtures/assertOk.fixture.ts';

function withoutTestContext(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  return env;
}

describe('assert.ok under the test runners', () => {
  it('names the failing call, keeps given messages (made text, as Node does) and passes truthy values', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', './test/support/assertMessage.mjs', '--test', '--test-reporter=tap', FIXTURE], {
      encoding: 'utf8',
      timeout: 60_000,
      // Run as a test run of its own, not as a file of this one (node:test marks its children through this variable).
      env: withoutTestContext(),
    });
    assert.equal(r.error, undefined, 'the run ends by itself');
    assert.equal(r.status, 1, 'four of the six tests fail');
    const out = r.stdout;
    assert.match(out, /^ok 1 - passes a truthy value$/m);
    assert.match(out, /^not ok 2 - fails a falsy value without a message$/m);
    // The message: where the call is in the .ts file, and the line itself.
    assert.ok(out.includes(`the value is falsy at ${resolve(FIXTURE)}:11:10`), 'the call\'s file, line and column');
    assert.ok(out.includes('assert.ok(answers.filter((a) => a > 5).length === 1);'), 'the call\'s line');
    assert.match(out, /^not ok 3 - keeps a message the test gives$/m);
    assert.ok(out.includes("error: 'the count is zero'"), 'the given message');
    // A falsy value's failure starts its stack at the test's own line, not inside the setup module.
    assert.ok(!out.slice(0, out.indexOf('# Subtest: refuses')).includes('assertMessage.mjs:'), 'no frame of the setup module');
    assert.match(out, /^not ok 4 - refuses a call without a value$/m);
    assert.ok(out.includes('No value argument passed to `assert.ok()`'), 'Node\'s own refusal of a missing value');
    // As Node: a message other than null or undefined is the test's own, made text, and not marked as generated.
    assert.match(out, /^not ok 5 - keeps a message that is not a string, as text$/m);
    assert.ok(out.includes("error: '42'"), 'a number given as the message');
    assert.match(out, /^ok 6 - marks only a generated message as generated$/m);
    assert.match(out, /^# pass 2$/m);
    assert.match(out, /^# fail 4$/m);
  });
});
