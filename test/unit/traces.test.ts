// The extension's answer to a diagram request: the trace, or an error result when the run throws, so the page's
// diagram never stays on "Running the scenario…".
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diagramTrace, traceFailure } from '../../src/views/traces';
import type { TraceResult } from '../../src/views/protocol';

describe('diagram requests', () => {
  it('answer with the trace', async () => {
    const result: TraceResult = { ok: true, scenario: 'c08-write-behind-crash-loses-writes.cachescenario', strategy: 'write-behind', steps: [] };
    const reply = await diagramTrace({ trace: () => Promise.resolve(result) }, 'write-behind/2:wal', 'write-behind', 'wal', () => undefined);
    assert.deepEqual(reply, {
      type: 'diagram/trace', requestId: 'write-behind/2:wal', strategy: 'write-behind', variant: 'wal',
      variants: ['normal', 'crash-before-flush', 'wal', 'other-node', 'shutdown', 'lost-reply', 'write-delay'], result,
    });
  });

  it('answer a run that throws with an error the diagram shows, and log it', async () => {
    const logged: string[] = [];
    const reply = await diagramTrace({ trace: () => Promise.reject(new Error('worker gone')) }, 'write-behind/0:normal', 'write-behind', 'normal', (l) => logged.push(l));
    assert.equal(reply.type, 'diagram/trace');
    assert.equal(reply.requestId, 'write-behind/0:normal');
    assert.deepEqual(reply.result, {
      ok: false,
      scenario: 'c06-write-behind-ack-after-cache.cachescenario',
      error: 'The scenario c06-write-behind-ack-after-cache.cachescenario could not be run: worker gone',
    });
    assert.deepEqual(logged, ['diagram write-behind/normal failed: worker gone']);
  });

  it('name no scenario when there is none (a snippet whose scenario is unknown)', () => {
    const reply = traceFailure({ requestId: 'snippet/write-through:python', strategy: 'write-through', variant: null, variants: [] }, '', 'no snippet');
    assert.deepEqual(reply.result, { ok: false, scenario: '', error: 'The scenario could not be run: no snippet' });
  });
});
