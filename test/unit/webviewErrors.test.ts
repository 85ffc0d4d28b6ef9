// The webview's error reports (webview/main.ts sends each to the "Cache Workbench" output): the browser's benign
// ResizeObserver notice is left out, every real error still goes through.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import type * as Module from '../../webview/host.js' with { 'resolution-mode': 'import' };
let H: typeof Module;
before(async () => {
  H = await import('../../webview/host.js');
});

describe('webview error reports', () => {
  it('leaves out Chromium\'s ResizeObserver loop notices, in both wordings', () => {
    assert.equal(H.isBenignError('ResizeObserver loop completed with undelivered notifications.'), true);
    assert.equal(H.isBenignError('ResizeObserver loop limit exceeded'), true);
  });

  it('reports everything else, a ResizeObserver callback\'s own error included', () => {
    for (const m of ['TypeError: cannot read properties of undefined (reading \'x\')', 'Uncaught Error: ResizeObserver loop completed with undelivered notifications', 'ResizeObserver is not defined', '']) {
      assert.equal(H.isBenignError(m), false, m);
    }
  });
});
