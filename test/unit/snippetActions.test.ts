// A snippet's "Run it" always answers the page: the trace, or an error result (logged) when the run throws, as a
// lesson diagram's request is answered (traces.ts, diagramTrace).
import './support/vscodeStub';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { editorColumnBesidePanel, runSnippet } from '../../src/views/snippetActions';
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

describe('editorColumnBesidePanel: where an editor opened from the panel goes', () => {
  it('to the group nearest the panel\'s, never the panel\'s own, and beside it when the panel is alone', () => {
    // The panel in column 2, a scenario in column 1: the scenario's group, not a third column.
    assert.equal(editorColumnBesidePanel([{ viewColumn: 1, hasPanel: false }, { viewColumn: 2, hasPanel: true }]), 1);
    assert.equal(editorColumnBesidePanel([{ viewColumn: 1, hasPanel: true }, { viewColumn: 2, hasPanel: false }]), 2);
    // Several others: the nearest (the first of two as near).
    assert.equal(editorColumnBesidePanel([{ viewColumn: 1, hasPanel: false }, { viewColumn: 2, hasPanel: false }, { viewColumn: 3, hasPanel: true }, { viewColumn: 5, hasPanel: false }]), 2);
    assert.equal(editorColumnBesidePanel([{ viewColumn: 1, hasPanel: false }, { viewColumn: 2, hasPanel: true }, { viewColumn: 3, hasPanel: false }]), 1);
    // The panel alone, or no panel at all: a new group beside the active one.
    assert.equal(editorColumnBesidePanel([{ viewColumn: 1, hasPanel: true }]), 'beside');
    assert.equal(editorColumnBesidePanel([{ viewColumn: 1, hasPanel: false }]), 'beside');
    assert.equal(editorColumnBesidePanel([]), 'beside');
  });
});
