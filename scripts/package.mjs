// Packages the extension: production build (minified, no sourcemaps), then `vsce package --no-dependencies` (esbuild
// bundles every dependency). Fails on any vsce warning and on any file package.json points at that the .vsix leaves out.
// Usage: node scripts/package.mjs  ->  cache-workbench-<version>.vsix
import { spawnSync } from 'node:child_process';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { join, normalize } from 'node:path';

const root = process.cwd();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsce = join(root, 'node_modules', '.bin', 'vsce');

function run(cmd, args, { quiet = false } = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (!quiet || r.status !== 0) {
    process.stdout.write(r.stdout ?? '');
    process.stderr.write(r.stderr ?? '');
  }
  if (r.status !== 0) {
    console.error(`package: ${cmd} ${args.join(' ')} failed (exit ${r.status})`);
    process.exit(1);
  }
  return `${r.stdout ?? ''}${r.stderr ?? ''}`;
}

/**
 * vsce rewrites README/CHANGELOG relative links against the repository, and detects only GitHub and GitLab hosts.
 * For any other repository URL, hand it the same base URLs explicitly so relative links are not an error.
 */
function baseUrlArgs() {
  const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  if (!url || /github\.com|gitlab\.com/.test(url)) return [];
  const base = url.replace(/\.git$/, '').replace(/\/$/, '');
  return ['--baseContentUrl', `${base}/blob/HEAD`, '--baseImagesUrl', `${base}/raw/HEAD`];
}

/** Every existing file that package.json's `main`, `icon` or `contributes` names (grammars, icons, language config...). */
function referencedFiles() {
  const found = new Set();
  const visit = (v) => {
    if (typeof v === 'string') {
      const p = normalize(v.replace(/^\.\//, ''));
      if (!p.startsWith('..') && !p.startsWith('/') && existsSync(join(root, p)) && statSync(join(root, p)).isFile()) found.add(p);
    } else if (Array.isArray(v)) {
      v.forEach(visit);
    } else if (v && typeof v === 'object') {
      Object.values(v).forEach(visit);
    }
  };
  visit([pkg.main, pkg.icon, pkg.browser, pkg.contributes]);
  return [...found];
}

run(process.execPath, ['esbuild.mjs', '--production']);
const out = run(vsce, ['package', '--no-dependencies', ...baseUrlArgs()]);
const warnings = out.split('\n').filter((l) => /\bWARNING\b/.test(l));
if (warnings.length > 0) {
  console.error(`package: vsce warned (the package must be warning-free):\n${warnings.join('\n')}`);
  process.exit(1);
}

const listed = new Set(run(vsce, ['ls', '--no-dependencies'], { quiet: true }).split('\n').map((l) => l.trim()).filter(Boolean).map(normalize));
const missing = referencedFiles().filter((f) => !listed.has(f));
if (missing.length > 0) {
  console.error(`package: package.json references files that .vscodeignore leaves out: ${missing.join(', ')}`);
  process.exit(1);
}
const vsix = join(root, `${pkg.name}-${pkg.version}.vsix`);
console.log(`package: ${vsix} (${(statSync(vsix).size / 1024).toFixed(1)} KB, ${listed.size} files)`);
