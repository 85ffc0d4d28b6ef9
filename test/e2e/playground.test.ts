// The playground and the comparison form as a learner uses them in a real VS Code: the comparison's Kind shows its
// longest choice whole, and a ticked checkbox keeps its outline in the light and the dark theme.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { FrameLocator, Page } from 'playwright-core';
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

test('the comparison\'s Kind shows its longest choice whole', { timeout: 120_000 }, async () => {
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
