// Draws the marketplace icon (media/icon.png, 128x128) from the SVG below with headless Chromium.
// Run after changing the drawing: node scripts/makeIcon.mjs  (needs Debian chromium).
import { mkdtempSync, writeFileSync, rmSync, copyFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

// A cache block (amber) above a database (teal): a solid arrow for the synchronous write-through path,
// a dashed one for the deferred write-behind flush.
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#22384d"/><stop offset="1" stop-color="#14222f"/>
    </linearGradient>
    <linearGradient id="db" x1="0" y1="0" x2="1" y2="0">
      <stop offset="0" stop-color="#2bb3a3"/><stop offset="1" stop-color="#1b8276"/>
    </linearGradient>
  </defs>
  <rect x="4" y="4" width="120" height="120" rx="22" fill="url(#bg)"/>
  <rect x="22" y="16" width="84" height="30" rx="7" fill="#f2a93b"/>
  <rect x="31" y="26" width="10" height="10" rx="2" fill="#14222f" opacity="0.55"/>
  <rect x="46" y="26" width="10" height="10" rx="2" fill="#14222f" opacity="0.55"/>
  <rect x="61" y="26" width="10" height="10" rx="2" fill="#14222f" opacity="0.55"/>
  <rect x="76" y="26" width="21" height="10" rx="2" fill="#fff" opacity="0.85"/>
  <path d="M46 52v17" stroke="#ffffff" stroke-width="6" stroke-linecap="round"/>
  <path d="M37 62l9 10 9-10" fill="none" stroke="#ffffff" stroke-width="6" stroke-linecap="round" stroke-linejoin="round"/>
  <path d="M82 52v17" stroke="#ffffff" stroke-width="6" stroke-linecap="round" stroke-dasharray="5 7"/>
  <path d="M73 62l9 10 9-10" fill="none" stroke="#ffffff" stroke-width="6" stroke-linecap="round" stroke-linejoin="round" opacity="0.75"/>
  <path d="M26 84v22c0 6 17 11 38 11s38-5 38-11V84z" fill="url(#db)"/>
  <ellipse cx="64" cy="84" rx="38" ry="10" fill="#5fd6c7"/>
  <path d="M26 95c0 6 17 11 38 11s38-5 38-11" fill="none" stroke="#14222f" stroke-width="2.5" opacity="0.35"/>
</svg>`;

const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(`${chromium} not found: apt-get install -y chromium`);
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'cw-icon-'));
try {
  const page = join(dir, 'icon.html');
  writeFileSync(page, `<!DOCTYPE html><html><body style="margin:0;background:transparent">${svg}</body></html>`);
  const png = join(dir, 'icon.png');
  const r = spawnSync(chromium, [
    '--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--force-device-scale-factor=1',
    '--default-background-color=00000000', '--window-size=128,128', `--screenshot=${png}`, `file://${page}`,
  ], { encoding: 'utf8', env: { ...process.env, HOME: dir } });
  if (r.status !== 0 || !existsSync(png)) {
    console.error(r.stderr);
    process.exit(1);
  }
  copyFileSync(png, 'media/icon.png');
  console.log('wrote media/icon.png');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
