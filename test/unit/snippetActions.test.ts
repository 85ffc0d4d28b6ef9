// A snippet's "Run it" always answers the page: the trace, or an error result (logged) when the run throws, as a
// lesson diagram's request is answered (traces.ts, diagramTrace).
import './support/vscodeStub';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runSnippet } from '../../src/views/snippetActions';
import { findSnippet } from '../../src/lesson/snippets';
import type { TraceResult } from '../../src/views/protocol';

describe('runSnippet', () => {
  const scenario = findSnippet('write-behind', 'typescript')?.scenario ?? '';

  it('answers with the trace of the snippet\'s scenario', async () => {
    const result = { ok: true, scenario, steps: [] } as unknown as TraceResult;
    const asked: string[] = [];
    const reply = await runSnippet({ traceFile: async (file) => { asked.push(file); return result; } }, 'r1', 'write-behind', 'typescript', () => assert.fail('nothing to log'));
    assert.deepEqual(asked, [scenario]);
    assert.deepEqual(reply, { type: 'diagram/trace', requestId: 'r1', strategy: 'write-behind', variant: null, variants: [], result });
  });

  it('answers with an error result, and logs it, when the run throws: it never rejects', async () => {
    const logged: string[] = [];
    const reply = await runSnippet({ traceFile: () => Promise.reject(new Error('worker gone')) }, 'r2', 'write-behind', 'typescript', (line) => logged.push(line));
    assert.deepEqual(logged, ['running the snippet scenario failed: worker gone']);
    assert.equal(reply.requestId, 'r2');
    assert.deepEqual(reply.result, { ok: false, scenario, error: `The scenario ${scenario} could not be run: worker gone` });
  });
});
