// Every variable the Variables view shows with an expression (evaluateName, which VS Code's Add to Watch and Copy as
// Expression use) reads back the same thing through the Debug Console's evaluate.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScenarioRuntime } from '../../src/debug/runtime';
import type { VariableInfo } from '../../src/debug/runtime';

/** Every variable under the scopes, depth first, with the path it was listed under. */
function allVariables(rt: ScenarioRuntime): VariableInfo[] {
  const out: VariableInfo[] = [];
  const walk = (path: readonly string[]): void => {
    for (const v of rt.variables(path)) {
      out.push(v);
      if (v.path) walk(v.path);
    }
  };
  for (const s of rt.scopes()) walk(s.path);
  return out;
}

const TWO_NODES = [
  'strategy write-behind',
  'set cache.nodes 2',
  'load k 1',
  'write k 2',
  'read k via node2',
  'write j 3 via node2',
  'advance 6s',
  'expect db k == 2',
].join('\n');

describe('evaluateName', () => {
  it('names the expression of a database row, a cache entry (via its node), a metric, a latency field, a queue and the clock', () => {
    const rt = new ScenarioRuntime(() => undefined);
    assert.ok(rt.load({ program: '/s/two.cachescenario', text: TWO_NODES }).ok);
    rt.continue();
    const named = new Map(allVariables(rt).flatMap((v) => (v.evaluateName ? [[v.evaluateName, v.value] as const] : [])));
    for (const expected of ['db k', 'db j', 'cache k', 'cache k via node2', 'cache j via node2', 'metric lostWrites', 'metric writeLatencyMs.p99', 'metric readLatencyMs.mean', 'queue node1', 'queue node2', 'time']) {
      assert.ok(named.has(expected), `${expected} among ${[...named.keys()].join(', ')}`);
    }
    // The value shown is what the expression gives (the clock adds "(virtual)", a queue gives its entries).
    for (const [name, value] of named) {
      const r = rt.evaluate(name);
      assert.ok(r.ok, `${name}: ${r.ok ? '' : r.message}`);
      if (name.startsWith('queue ')) assert.match(r.result, /^\d+ pending/, name);
      else if (name === 'time') assert.equal(r.result, `${value} (virtual)`);
      else assert.equal(r.result, value, name);
    }
  });

  it('reads back for keys named like the expression words (and, or, not, time, via, missing), on node1 and node2', () => {
    // A key may be any of these: `write and 1` is a statement. Add to Watch on its row put `db and` in the Watch view,
    // which answered "expected a key after db" as the parser took `and` for the operator.
    const keys = ['and', 'or', 'not', 'time', 'via', 'missing', 'db', 'key', 'true', '42'];
    const text = ['strategy write-through', 'set cache.nodes 2', ...keys.flatMap((k, i) => [`write ${k} ${i}`, `read ${k} via node2`])].join('\n');
    const rt = new ScenarioRuntime(() => undefined);
    assert.ok(rt.load({ program: '/s/words.cachescenario', text }).ok);
    rt.continue();
    const named = allVariables(rt).filter((v) => v.evaluateName !== undefined && /^(db|cache) /.test(v.evaluateName));
    for (const k of keys) {
      for (const expression of [`db ${k}`, `cache ${k}`, `cache ${k} via node2`]) {
        const v = named.find((x) => x.evaluateName === expression);
        assert.ok(v, `${expression} among the variables`);
        const r = rt.evaluate(expression);
        assert.deepEqual(r.ok ? r.result : r.message, v.value, expression);
      }
    }
    // As a condition too: the key, then the operator.
    assert.deepEqual(rt.evaluate('db and == 0 and cache or == 1'), { ok: true, result: 'true' });
  });

  it('reads back through evaluate at every stop of every bundled scenario', () => {
    const dir = join(__dirname, '..', '..', 'scenarios');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.cachescenario'))) {
      const rt = new ScenarioRuntime(() => undefined);
      assert.ok(rt.load({ program: join(dir, file), text: readFileSync(join(dir, file), 'utf8') }).ok, file);
      let checked = 0;
      for (let guard = 0; guard < 10_000 && !rt.atEnd; guard++) {
        for (const v of allVariables(rt)) {
          if (v.evaluateName === undefined) continue;
          checked++;
          const r = rt.evaluate(v.evaluateName);
          assert.ok(r.ok, `${file} at ${rt.currentIndex}: ${v.evaluateName}`);
          if (/^(db|cache|metric) /.test(v.evaluateName)) assert.equal(r.result, v.value, `${file} at ${rt.currentIndex}: ${v.evaluateName}`);
        }
        rt.stepIn();
      }
      assert.ok(checked > 0, file);
    }
  });
});
