// Fuzzes the scenario runner and the debugger's recording with programs the parser accepts: any setting at any value
// the language allows (bounds, fractions, units, `off`), presets, operations, faults and expectations in any order.
// What parses must run: no throw, the simulation starts, and the debugger can record it. Found: a TTL of `1.5ms`
// parsed, then lru-cache refused it and the run threw; `cache.nodes 200000` parsed and ran the process out of memory.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { recordScenario } from '../../src/debug/runtime';
import { parseScenario } from '../../src/scenario/parser';
import { runProgram } from '../../src/scenario/runner';
import { scenarioText } from './scenarioArb';

const RUNS = 400;

describe('every scenario the parser accepts runs', () => {
  it('runProgram never throws and the simulation starts; the debugger records it', () => {
    let ran = 0;
    fc.assert(
      fc.property(scenarioText, (text) => {
        const parsed = parseScenario(text);
        if (parsed.diagnostics.some((d) => d.severity === 'error')) return;
        ran++;
        const r = runProgram(parsed, { eventLimit: 200_000 });
        assert.equal(r.started, true, `${r.errors.map((e) => e.message).join('; ')}\n--- scenario ---\n${text}`);
        const rec = recordScenario('fuzz.cachescenario', text);
        assert.ok(rec.ok || /: too large to step through: /.test(rec.message), `${rec.ok ? '' : rec.message}\n--- scenario ---\n${text}`);
      }),
      { numRuns: RUNS },
    );
    // Most programs must get past the parser, or this would test nothing.
    assert.ok(ran > RUNS / 3, `only ${ran} of ${RUNS} programs parsed`);
  });

  it('a setting beyond the engine\'s limits is a diagnostic that names the bound', () => {
    const cases: [string, RegExp][] = [
      ['set cache.ttl 1.5ms', /cache\.ttl must be a whole number of milliseconds, got 1\.5ms/],
      ['set cache.nodes 200000', /cache\.nodes must be at most 8, got 200,000/],
      ['set cache.capacity 2000000000', /cache\.capacity must be at most 1,000,000, got 2,000,000,000/],
    ];
    for (const [line, message] of cases) {
      const p = parseScenario(`strategy write-through\n${line}\nwrite a 1`);
      const errors = p.diagnostics.filter((d) => d.severity === 'error');
      assert.equal(errors.length, 1, line);
      assert.match(errors[0]?.message ?? '', message);
      assert.deepEqual([errors[0]?.line, errors[0]?.column], [2, line.lastIndexOf(' ') + 2], line);
    }
  });
});
