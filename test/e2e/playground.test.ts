// The playground and the comparison form as a learner uses them in a real VS Code: the numbers a run shows are the
// engine's for the same setup, results are marked out of date once the setup changes, charts keep their labels' size
// in a narrow panel, the comparison's Kind shows its longest choice whole and its caption stays in view, and a ticked
// checkbox keeps its outline in the light and the dark theme.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { runPlayground } from '../../src/scenario/playground';
import type { PlaygroundConfig } from '../../src/scenario/playground';
import { workbenchForFile } from './harness';
import { panelWith } from './journeys';

const workbench = workbenchForFile({ name: 'playground' });

/** The workbench panel on one page of its navigation. */
async function showPage(route: string): Promise<FrameLocator> {
  const w = workbench();
  if ((await w.page.locator('iframe.webview').count()) === 0) await w.runCommand('Open Workbench');
  const panel = await panelWith(w, '.cw-pages');
  await panel.locator(`.cw-pages button[data-route="${route}"]`).click();
  await panel.locator(`.cw-app[data-route="${route}"]`).waitFor({ timeout: 20_000 });
  return panel;
}

/** The figure a metric item of the results shows, by its name. */
async function metric(results: Locator, name: string): Promise<string> {
  const items = results.locator('.cw-metric-item');
  for (let i = 0; i < (await items.count()); i++) {
    if (((await items.nth(i).locator('dt').textContent()) ?? '').trim() === name) return ((await items.nth(i).locator('dd').textContent()) ?? '').trim();
  }
  assert.fail(`no metric "${name}" in the results`);
}

const count = (n: number): string => n.toLocaleString('en-US');

test('a run shows the engine\'s numbers for the setup, failed reads included, and is marked out of date once the setup changes', { timeout: 180_000 }, async () => {
  const panel = await showPage('playground');
  // A setup with every kind of knob: write-behind, a small batch, coalescing off, two nodes, node1 crashing for good
  // (reads through it fail from then on) and the database down for a while.
  const config: PlaygroundConfig = {
    strategy: 'write-behind',
    settings: {
      'cache.latency': 1, 'db.latency': 10, 'cache.capacity': 1000, 'cache.nodes': 2,
      'writeBehind.flushInterval': 2000, 'writeBehind.batchSize': 25, 'writeBehind.coalescing': false, 'writeBehind.wal': false,
    },
    workload: { kind: 'write-heavy', ops: 3000, keys: 50, distribution: 'zipf', clients: 4, intervalMs: 10, seed: 1, preload: true },
    faults: [{ kind: 'crash', atMs: 3750 }, { kind: 'db-down', atMs: 3750, forMs: 2000 }],
  };
  await panel.locator('cw-playground vscode-button[icon="discard"]').click();
  await panel.locator('#cw-pg-strategy').selectOption('write-behind');
  // A setting left blank under a preset shows what the preset sets; without a preset, the engine's default applies.
  const batch = panel.locator('#cw-pg-settings-writeBehind-batchSize');
  assert.equal(await batch.getAttribute('placeholder'), 'default');
  await panel.locator('#cw-pg-preset').selectOption('ignite');
  await panel.locator('#cw-pg-settings-writeBehind-batchSize[placeholder="512 (ignite)"]').waitFor({ timeout: 5_000 });
  assert.equal(await panel.locator('#cw-pg-settings-writeBehind-wal option[value=""]').textContent(), 'Default (off, ignite)');
  assert.equal(await panel.locator('#cw-pg-workload-kind option[value="mixed"]').textContent(), 'Mixed (half reads, half writes)');
  await panel.locator('#cw-pg-preset').selectOption('');
  await panel.locator('#cw-pg-workload-kind').selectOption('write-heavy');
  await panel.locator('#cw-pg-workload-ops').fill('3000');
  await panel.locator('#cw-pg-workload-keys').fill('50');
  await panel.locator('#cw-pg-workload-clients').fill('4');
  await panel.locator('#cw-pg-workload-intervalMs').fill('10');
  await panel.locator('#cw-pg-workload-seed').fill('1');
  await panel.locator('#cw-pg-settings-cache-latency').fill('1');
  await panel.locator('#cw-pg-settings-db-latency').fill('10');
  await panel.locator('#cw-pg-settings-cache-capacity').fill('1000');
  await panel.locator('#cw-pg-settings-cache-nodes').fill('2');
  await panel.locator('#cw-pg-settings-writeBehind-flushInterval').fill('2000');
  await panel.locator('#cw-pg-settings-writeBehind-batchSize').fill('25');
  await panel.locator('#cw-pg-settings-writeBehind-coalescing').selectOption('off');
  await panel.locator('#cw-pg-settings-writeBehind-wal').selectOption('off');
  await panel.locator('vscode-button.cw-add-fault', { hasText: 'Cache node crash' }).click();
  await panel.locator('#cw-pg-faults-0-atMs').fill('3750');
  await panel.locator('vscode-button.cw-add-fault', { hasText: 'Database down' }).click();
  await panel.locator('#cw-pg-faults-1-atMs').fill('3750');
  await panel.locator('#cw-pg-faults-1-forMs').fill('2000');
  const run = panel.locator('vscode-button[data-testid="playground-run"]');
  await run.click();
  const status = panel.locator('[data-testid="playground-status"]');
  await status.filter({ hasText: 'Ran 3,000 operations' }).waitFor({ timeout: 60_000 });

  const results = panel.locator('[data-testid="playground-results"]');
  const m = runPlayground(config).result.metrics;
  assert.ok(m.failedReads > 0, 'the crash makes reads through node1 fail');
  const expected: [string, string][] = [
    ['Acknowledged writes', count(m.acknowledgedWrites)],
    ['Failed writes', count(m.failedWrites)],
    ['Rejected writes', count(m.rejectedWrites)],
    ['Queue overflows', count(m.queueOverflows)],
    ['Answered reads', count(m.reads)],
    ['Failed reads', count(m.failedReads)],
    ['Hit ratio', String(m.hitRatio)],
    ['Stale reads', count(m.staleReads)],
    ['Dirty reads', count(m.dirtyReads)],
    ['Lost writes', count(m.lostWrites)],
    ['Database writes', count(m.dbWrites)],
    ['Database round trips', count(m.dbRoundTrips)],
    ['Largest queue', count(m.maxQueueDepth)],
    ['Retries', count(m.retries)],
    ['Dead letters', count(m.deadLetters)],
    ['Write latency p50 / p99', `${count(m.writeLatencyMs.p50)} / ${count(m.writeLatencyMs.p99)} ms`],
    ['Read latency p50 / p99', `${count(m.readLatencyMs.p50)} / ${count(m.readLatencyMs.p99)} ms`],
  ];
  for (const [name, value] of expected) assert.equal(await metric(results, name), value, name);
  assert.equal(await panel.locator('[data-testid="playground-stale"]').count(), 0, 'fresh results are not marked');
  // Each chart's text alternative names the faults its red markers show (a marker's label is a tooltip only a mouse reaches).
  const charts = results.locator('figure.cw-chart');
  assert.equal(await charts.count(), 5);
  for (let i = 0; i < 5; i++) {
    const img = await charts.nth(i).locator('svg[role="img"]').ariaSnapshot();
    assert.match(img, /Faults marked: node1 crashes at 3,750 ms; database down at 3,750 ms for 2,000 ms; database back up at 5,750 ms\./, `chart ${i + 1}: ${img}`);
  }

  // A narrow panel redraws the charts at its width: their labels keep their size and the time labels do not overlap.
  for (const width of [360, 900]) {
    await results.evaluate((el, px) => ((el as HTMLElement).style.width = `${px}px`), width);
    const drawn = await charts.first().locator('svg').evaluate(async (svg) => {
      const s = svg as SVGSVGElement;
      // Redrawn once the resize is seen: the viewBox as wide as the picture.
      for (let i = 0; i < 50 && Math.round(s.getBoundingClientRect().width) !== s.viewBox.baseVal.width; i++) await new Promise((r) => setTimeout(r, 100));
      const scale = s.getBoundingClientRect().width / s.viewBox.baseVal.width;
      const px = Number.parseFloat(getComputedStyle(s.querySelector('text.cw-chart-tick') as Element).fontSize) * scale;
      const ticks = [...s.querySelectorAll('text.cw-chart-tick')].map((t) => t.getBoundingClientRect()).filter((r) => r.top > s.getBoundingClientRect().bottom - 20);
      const overlapping = ticks.some((r, i) => i > 0 && r.left < (ticks[i - 1] as DOMRect).right);
      return { px, overlapping, count: ticks.length };
    });
    assert.ok(drawn.px >= 10.5, `at ${width} px the chart labels are drawn ${drawn.px.toFixed(1)} px tall`);
    assert.equal(drawn.overlapping, false, `at ${width} px two of the ${drawn.count} time labels overlap`);
    if (width === 360) {
      await charts.nth(1).scrollIntoViewIfNeeded();
      await workbench().screenshot('playground-charts-narrow');
    }
  }
  await results.evaluate((el) => ((el as HTMLElement).style.width = ''));

  // Comparing two runs: a changed knob leaves the earlier numbers on the page, said to be the earlier setup's.
  await panel.locator('#cw-pg-settings-writeBehind-flushInterval').fill('500');
  await panel.locator('[data-testid="playground-stale"]').waitFor({ timeout: 5_000 });
  assert.equal(await metric(results, 'Largest queue'), count(m.maxQueueDepth), 'the numbers are still the first run\'s');
  // Changed back, the page again shows the setup's own numbers; an invalid field leaves them out of date.
  await panel.locator('#cw-pg-settings-writeBehind-flushInterval').fill('2000');
  await panel.locator('[data-testid="playground-stale"]').waitFor({ state: 'detached', timeout: 5_000 });
  await panel.locator('#cw-pg-settings-writeBehind-flushInterval').fill('500');
  await run.click();
  await status.filter({ hasText: 'Ran 3,000 operations' }).waitFor({ timeout: 60_000 });
  await panel.locator('[data-testid="playground-stale"]').waitFor({ state: 'detached', timeout: 10_000 });
  const second = runPlayground({ ...config, settings: { ...config.settings, 'writeBehind.flushInterval': 500 } }).result.metrics;
  assert.equal(await metric(results, 'Largest queue'), count(second.maxQueueDepth), 'the second run\'s numbers');
  await panel.locator('#cw-pg-workload-ops').fill('0');
  await panel.locator('[data-testid="playground-stale"]').waitFor({ timeout: 5_000 });
  await workbench().screenshot('playground-stale-results');
});

test('a graceful shutdown that does not wait loses the queued writes; given time, its queue drains and nothing is lost', { timeout: 180_000 }, async () => {
  const panel = await showPage('playground');
  const config = (timeoutMs: number): PlaygroundConfig => ({
    strategy: 'write-behind',
    settings: { 'writeBehind.flushInterval': 60_000 },
    workload: { kind: 'write-heavy', ops: 400, keys: 20, distribution: 'zipf', clients: 2, intervalMs: 10, seed: 3, preload: true },
    faults: [{ kind: 'shutdown', atMs: 1000, timeoutMs }],
  });
  await panel.locator('cw-playground vscode-button[icon="discard"]').click();
  await panel.locator('#cw-pg-strategy').selectOption('write-behind');
  await panel.locator('#cw-pg-workload-kind').selectOption('write-heavy');
  await panel.locator('#cw-pg-workload-ops').fill('400');
  await panel.locator('#cw-pg-workload-keys').fill('20');
  await panel.locator('#cw-pg-workload-clients').fill('2');
  await panel.locator('#cw-pg-workload-intervalMs').fill('10');
  await panel.locator('#cw-pg-workload-seed').fill('3');
  await panel.locator('#cw-pg-settings-writeBehind-flushInterval').fill('60000');
  await panel.locator('vscode-button.cw-add-fault', { hasText: 'Cache node shutdown' }).click();
  const fault = panel.locator('li.cw-fault[aria-label="Fault 1: Cache node shutdown"]');
  await fault.waitFor({ timeout: 5_000 });
  await panel.locator('#cw-pg-faults-0-atMs').fill('1000');
  const timeout = panel.locator('#cw-pg-faults-0-timeoutMs');
  assert.equal(await timeout.getAttribute('placeholder'), 'setting');
  await timeout.fill('0');
  const run = panel.locator('vscode-button[data-testid="playground-run"]');
  const status = panel.locator('[data-testid="playground-status"]');
  const results = panel.locator('[data-testid="playground-results"]');
  await run.click();
  await status.filter({ hasText: 'Ran 400 operations' }).waitFor({ timeout: 60_000 });
  const lost = runPlayground(config(0)).result.metrics.lostWrites;
  assert.ok(lost > 0, 'a shutdown that does not wait loses what its queue held');
  assert.equal(await metric(results, 'Lost writes'), count(lost));
  const img = await results.locator('figure.cw-chart').first().locator('svg[role="img"]').ariaSnapshot();
  assert.match(img, /Fault marked: node1 shuts down at 1,000 ms, not waiting for its queue\./);
  await fault.scrollIntoViewIfNeeded();
  await workbench().screenshot('playground-shutdown-fault');

  // Ten seconds is plenty: the queue drains at once and the same run loses nothing.
  await timeout.fill('10000');
  await run.click();
  await panel.locator('[data-testid="playground-stale"]').waitFor({ state: 'detached', timeout: 60_000 });
  await status.filter({ hasText: 'Ran 400 operations' }).waitFor({ timeout: 60_000 });
  assert.equal(runPlayground(config(10_000)).result.metrics.lostWrites, 0);
  assert.equal(await metric(results, 'Lost writes'), '0');
});

test('a lost database reply makes write-behind apply a batch twice; exactly-once delivery skips the replay', { timeout: 180_000 }, async () => {
  const panel = await showPage('playground');
  const config = (delivery: string): PlaygroundConfig => ({
    strategy: 'write-behind',
    settings: { 'writeBehind.flushInterval': 1000, 'writeBehind.delivery': delivery },
    workload: { kind: 'counters', ops: 400, keys: 10, distribution: 'zipf', clients: 2, intervalMs: 10, seed: 5, preload: true },
    faults: [{ kind: 'db-lose-replies', atMs: 500, replies: 1 }],
  });
  await panel.locator('cw-playground vscode-button[icon="discard"]').click();
  await panel.locator('#cw-pg-strategy').selectOption('write-behind');
  await panel.locator('#cw-pg-workload-kind').selectOption('counters');
  await panel.locator('#cw-pg-workload-ops').fill('400');
  await panel.locator('#cw-pg-workload-keys').fill('10');
  await panel.locator('#cw-pg-workload-clients').fill('2');
  await panel.locator('#cw-pg-workload-intervalMs').fill('10');
  await panel.locator('#cw-pg-workload-seed').fill('5');
  await panel.locator('#cw-pg-settings-writeBehind-flushInterval').fill('1000');
  // writeBehind.delivery is under More settings, closed while none of its settings is set.
  const more = panel.locator('cw-playground details.cw-more');
  if ((await more.getAttribute('open')) === null) await more.locator('summary').click();
  const delivery = panel.locator('#cw-pg-settings-writeBehind-delivery');
  await delivery.selectOption('at-least-once');
  // A drop-down setting shows its documentation under it, as a number field does, and is described by it.
  const described = ((await delivery.getAttribute('aria-describedby')) ?? '').split(/\s+/);
  assert.deepEqual(described, ['cw-pg-settings-writeBehind-delivery-hint', 'cw-pg-settings-writeBehind-delivery-error']);
  assert.match((await panel.locator('#cw-pg-settings-writeBehind-delivery-hint').innerText()).replace(/\s+/g, ' '), /^What happens to a batch the database committed but whose reply was lost/);
  await panel.locator('vscode-button.cw-add-fault', { hasText: 'Lost database replies' }).click();
  const fault = panel.locator('li.cw-fault[aria-label="Fault 1: Lost database replies"]');
  await fault.waitFor({ timeout: 5_000 });
  await panel.locator('#cw-pg-faults-0-atMs').fill('500');
  await panel.locator('#cw-pg-faults-0-replies').fill('1');
  const run = panel.locator('vscode-button[data-testid="playground-run"]');
  const status = panel.locator('[data-testid="playground-status"]');
  const results = panel.locator('[data-testid="playground-results"]');
  await run.click();
  await status.filter({ hasText: 'Ran 400 operations' }).waitFor({ timeout: 60_000 });
  const twice = runPlayground(config('at-least-once')).result.metrics.duplicateWrites;
  assert.ok(twice > 0, 'the batch sent again after its lost reply is applied twice');
  assert.equal(await metric(results, 'Writes applied twice'), count(twice));
  const img = await results.locator('figure.cw-chart').first().locator('svg[role="img"]').ariaSnapshot();
  assert.match(img, /Fault marked: the next database commit loses its reply from 500 ms\./);
  await fault.scrollIntoViewIfNeeded();
  await workbench().screenshot('playground-lost-reply');

  await delivery.selectOption('exactly-once');
  await run.click();
  await panel.locator('[data-testid="playground-stale"]').waitFor({ state: 'detached', timeout: 60_000 });
  await status.filter({ hasText: 'Ran 400 operations' }).waitFor({ timeout: 60_000 });
  assert.equal(runPlayground(config('exactly-once')).result.metrics.duplicateWrites, 0);
  assert.equal(await metric(results, 'Writes applied twice'), '0');
});

test('a poison row fails every batch that carries it; past the requeue limit its writes go to the dead letters', { timeout: 180_000 }, async () => {
  const panel = await showPage('playground');
  const config: PlaygroundConfig = {
    strategy: 'write-behind',
    settings: { 'writeBehind.flushInterval': 200, 'writeBehind.requeueLimit': 1 },
    workload: { kind: 'mixed', ops: 300, keys: 10, distribution: 'zipf', clients: 2, intervalMs: 10, seed: 7, preload: true },
    faults: [{ kind: 'db-refuse-key', atMs: 0, key: 0, forMs: 60_000 }],
  };
  const expected = runPlayground(config).result.metrics;
  assert.ok(expected.deadLetters > 0 && expected.lostWrites > 0, 'key:0, the hottest key, sinks whole batches');
  await panel.locator('cw-playground vscode-button[icon="discard"]').click();
  await panel.locator('#cw-pg-strategy').selectOption('write-behind');
  await panel.locator('#cw-pg-workload-kind').selectOption('mixed');
  await panel.locator('#cw-pg-workload-ops').fill('300');
  await panel.locator('#cw-pg-workload-keys').fill('10');
  await panel.locator('#cw-pg-workload-clients').fill('2');
  await panel.locator('#cw-pg-workload-intervalMs').fill('10');
  await panel.locator('#cw-pg-workload-seed').fill('7');
  await panel.locator('#cw-pg-settings-writeBehind-flushInterval').fill('200');
  const more = panel.locator('cw-playground details.cw-more');
  if ((await more.getAttribute('open')) === null) await more.locator('summary').click();
  await panel.locator('#cw-pg-settings-writeBehind-requeueLimit').fill('1');
  await panel.locator('vscode-button.cw-add-fault', { hasText: 'Poison row' }).click();
  const fault = panel.locator('li.cw-fault[aria-label="Fault 1: Poison row"]');
  await fault.waitFor({ timeout: 5_000 });
  await panel.locator('#cw-pg-faults-0-atMs').fill('0');
  await panel.locator('#cw-pg-faults-0-key').fill('0');
  await panel.locator('#cw-pg-faults-0-forMs').fill('60000');
  const status = panel.locator('[data-testid="playground-status"]');
  const results = panel.locator('[data-testid="playground-results"]');
  await panel.locator('vscode-button[data-testid="playground-run"]').click();
  await status.filter({ hasText: 'Ran 300 operations' }).waitFor({ timeout: 60_000 });
  assert.equal(await metric(results, 'Dead letters'), count(expected.deadLetters));
  assert.equal(await metric(results, 'Lost writes'), count(expected.lostWrites));
  await fault.scrollIntoViewIfNeeded();
  await workbench().screenshot('playground-poison-row');
});

test('the comparison\'s Kind shows its longest choice whole, and its caption stays in view in a narrow panel', { timeout: 120_000 }, async () => {
  const panel = await showPage('compare');
  const kind = panel.locator('#cw-compare-kind');
  await kind.selectOption('mixed');
  // The width the select takes when nothing limits it (a select sized by its content fits its longest option).
  const { shown, needed } = await kind.evaluate((el) => {
    const probe = el.cloneNode(true) as HTMLSelectElement;
    probe.style.cssText = 'position:absolute;visibility:hidden;width:auto;max-width:none;min-width:0';
    document.body.append(probe);
    const needed = probe.getBoundingClientRect().width;
    probe.remove();
    return { shown: el.getBoundingClientRect().width, needed };
  });
  assert.ok(shown + 0.5 >= needed, `the Kind select is ${shown} px wide; its longest choice needs ${needed} px`);

  // In a narrow panel the table scrolls sideways; its caption stays in view, wrapped to the visible width.
  const region = panel.locator('[data-testid="compare-table-region"]');
  await panel.locator('[data-testid="compare-table"] caption', { hasText: 'mixed workload' }).waitFor({ timeout: 60_000 });
  const placed = await region.evaluate((el) => {
    const wrap = el as HTMLElement;
    wrap.style.width = '320px';
    wrap.scrollLeft = wrap.scrollWidth;
    const w = wrap.getBoundingClientRect();
    const c = (wrap.querySelector('caption') as HTMLElement).getBoundingClientRect();
    return { scrolled: wrap.scrollLeft, wrap: { left: w.left, right: w.right }, caption: { left: c.left, right: c.right } };
  });
  assert.ok(placed.scrolled > 0, 'the table is wider than 320 px, so it scrolls');
  const { wrap, caption } = placed;
  assert.ok(caption.left >= wrap.left - 1 && caption.right <= wrap.right + 1, `scrolled ${placed.scrolled} px, the caption spans ${caption.left}..${caption.right} in a region at ${wrap.left}..${wrap.right}`);
  await region.evaluate((el) => ((el as HTMLElement).style.width = ''));
});

/** The page's pixels in a rectangle (CSS px of the page), read back through a canvas in a blank page. */
async function pixels(page: Page, clip: { x: number; y: number; width: number; height: number }): Promise<{ width: number; height: number; data: number[] }> {
  const png = await page.screenshot({ clip });
  const blank = await page.context().newPage();
  try {
    return await blank.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
      ctx.drawImage(img, 0, 0);
      return { width: img.width, height: img.height, data: [...ctx.getImageData(0, 0, img.width, img.height).data] };
    }, png.toString('base64'));
  } finally {
    await blank.close();
  }
}

/**
 * How far the outline of the checkbox at `box` (page px) stands from the page around it: the largest colour distance
 * (sum of the RGB differences) between a pixel on the box's edge and the pixel 3 px outside it, taken at the middle of
 * each side. 0 when the box's edge is drawn in the page's own colour.
 */
async function outlineDistance(page: Page, box: { x: number; y: number; width: number; height: number }): Promise<number> {
  const pad = 4;
  const clip = { x: Math.floor(box.x) - pad, y: Math.floor(box.y) - pad, width: Math.ceil(box.width) + 2 * pad, height: Math.ceil(box.height) + 2 * pad };
  const img = await pixels(page, clip);
  const scale = img.width / clip.width;
  const at = (x: number, y: number): number[] => {
    const i = (Math.round(y * scale) * img.width + Math.round(x * scale)) * 4;
    return img.data.slice(i, i + 3);
  };
  const dist = (a: number[], b: number[]): number => a.reduce((s, v, i) => s + Math.abs(v - (b[i] ?? 0)), 0);
  const left = box.x - clip.x, top = box.y - clip.y, right = left + box.width, bottom = top + box.height;
  const midX = left + box.width / 2, midY = top + box.height / 2;
  return Math.max(
    dist(at(left + 0.5, midY), at(left - 3, midY)),
    dist(at(right - 1, midY), at(right + 2, midY)),
    dist(at(midX, top + 0.5), at(midX, top - 3)),
    dist(at(midX, bottom - 1), at(midX, bottom + 2)),
  );
}

test('a ticked checkbox keeps its outline in the light and the dark theme (Coalescing, Preload)', { timeout: 180_000 }, async () => {
  const w = workbench();
  const failures: string[] = [];
  for (const theme of ['Light Modern', 'Dark Modern']) {
    await w.setColorTheme(theme);
    for (const [route, id] of [['compare', '#cw-compare-coalescing'], ['playground', '#cw-pg-workload-preload']] as const) {
      const panel = await showPage(route);
      const box = panel.locator(id);
      await box.scrollIntoViewIfNeeded();
      await box.setChecked(true);
      await box.blur();
      await w.page.mouse.move(5, 5);
      await w.page.waitForTimeout(200);
      const rect = await box.boundingBox();
      assert.ok(rect, `${id} is on screen`);
      const distance = await outlineDistance(w.page, rect);
      if (distance < 30) failures.push(`${theme}, ${route}: the ticked box's edge is ${distance} from the page around it`);
      await w.screenshot(`checkbox-ticked-${route}-${theme.toLowerCase().replace(/\s+/g, '-')}`);
    }
  }
  assert.deepEqual(failures, []);
});
