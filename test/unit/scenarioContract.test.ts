// Holds the runner and the CLI to the written contract (architecture.md, "Scenario language" and "CLI contract") on
// small scenarios a conformance review found misbehaving: each case failed before its fix.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../../src/scenario/parser';
import { runProgram } from '../../src/scenario/runner';
import type { ScenarioResult } from '../../src/scenario/runner';

function run(source: string): ScenarioResult {
  const program = parseScenario(source);
  assert.deepEqual(
    program.diagnostics.filter((d) => d.severity === 'error'),
    [],
    'the scenario parses',
  );
  return runProgram(program);
}

/** Virtual time of the first trace step of the statement on `line`. */
function firstStepTime(result: ScenarioResult, line: number): number {
  const step = result.steps.find((s) => s.line === line);
  assert.ok(step, `a step of line ${line}`);
  return step.time;
}

describe('without `at`, a client operation starts when that client\'s previous one completes', () => {
  it('waits for the same client\'s `at` operation written just above it', () => {
    // Contract: "Without `at`, a client's operation starts when its previous one completes." Alice's write is issued
    // at 0 ms and acknowledged at 11 ms (cache + database round trips); her read must start after that, so it hits.
    const result = run('strategy write-through\nat 0ms as alice write k 1\nas alice read k\nexpect value 1\n');
    assert.ok(result.ok, JSON.stringify(result.expectations));
    assert.equal(firstStepTime(result, 3), 12);
  });

  it('waits for every earlier `at` operation of the client, not only the last one written', () => {
    const result = run('strategy write-through\nat 0ms as bob write a 1\nat 0ms as bob read b\nas bob read a\nexpect value 1\n');
    assert.ok(result.ok, JSON.stringify(result.expectations));
    assert.equal(firstStepTime(result, 4), 12);
  });

  it('does not wait for another client\'s `at` operation', () => {
    const result = run('strategy write-through\nat 0ms as alice write k 1\nas bob read k\nexpect value missing\n');
    assert.ok(result.ok, JSON.stringify(result.expectations));
    assert.equal(firstStepTime(result, 3), 1);
  });
});
