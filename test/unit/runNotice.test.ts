// Run Scenario's notification: the outcome comes first (a narrow toast cuts the end off), counted in words.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { plural } from '../../src/model/words';
import { parseErrorNotice, runNotice } from '../../src/views/runNotice';

describe('runNotice', () => {
  it('puts the outcome before the scenario name', () => {
    assert.equal(runNotice('c08.cachescenario', { total: 3, failed: 0, runErrors: 0 }), '3 expectations held — c08.cachescenario');
    assert.equal(runNotice('c08.cachescenario', { total: 3, failed: 1, runErrors: 0 }), '1 of 3 expectations failed — c08.cachescenario');
  });

  it('counts in words, singular and plural', () => {
    assert.equal(plural(1, 'expectation'), '1 expectation');
    assert.equal(plural(0, 'expectation'), '0 expectations');
    assert.equal(runNotice('a', { total: 1, failed: 0, runErrors: 0 }), '1 expectation held — a');
    assert.equal(runNotice('a', { total: 1, failed: 1, runErrors: 0 }), '1 of 1 expectation failed — a');
  });

  it('names run errors, and a scenario without expectations', () => {
    assert.equal(runNotice('a', { total: 2, failed: 1, runErrors: 2 }), '1 of 2 expectations failed, 2 run errors — a');
    assert.equal(runNotice('a', { total: 2, failed: 0, runErrors: 1 }), '1 run error, 2 expectations held — a');
    assert.equal(runNotice('a', { total: 0, failed: 0, runErrors: 0 }), 'no expectations to check — a');
  });

  it('parse errors: the count first', () => {
    assert.equal(parseErrorNotice('a.cachescenario', 1), '1 error — a.cachescenario: fix it to run the scenario.');
    assert.equal(parseErrorNotice('a.cachescenario', 2), '2 errors — a.cachescenario: fix them to run the scenario.');
    assert.equal(parseErrorNotice('a.cachescenario', 2, 'step through'), '2 errors — a.cachescenario: fix them to step through the scenario.');
  });
});
