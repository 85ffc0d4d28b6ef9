// Builds the bundles: extension (node/cjs, vscode external), CLI (node, shebang), webview (browser),
// and the test entry points that run inside VS Code. `--watch` rebuilds on change; `--production` minifies.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
};

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    // Engine jobs (comparison table, playground runs) on a worker thread of the extension host.
    ...common,
    entryPoints: ['src/views/engineWorker.ts'],
    outfile: 'dist/engineWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
  },
  {
    ...common,
    entryPoints: ['src/debug/standalone.ts'],
    outfile: 'dist/debugAdapter.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
  },
];

if (existsSync('webview/main.ts')) {
  builds.push({
    ...common,
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
  });
}

if (!production && existsSync('test/integration/index.ts')) {
  builds.push({
    ...common,
    entryPoints: ['test/integration/index.ts'],
    outfile: 'out/test/integration/index.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode', 'mocha'],
  });
}

// Codicons for the webviews (VS Code Elements' icons): shipped next to the bundle, inside the webviews' resource roots.
mkdirSync('dist/codicons', { recursive: true });
for (const f of ['codicon.css', 'codicon.ttf']) copyFileSync(`node_modules/@vscode/codicons/dist/${f}`, `dist/codicons/${f}`);

const present = builds.filter((b) => b.entryPoints.every((e) => existsSync(e)));
if (watch) {
  const contexts = await Promise.all(present.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log(`watching ${present.length} bundles`);
} else {
  await Promise.all(present.map((b) => esbuild.build(b)));
  console.log(`built ${present.map((b) => b.outfile).join(', ')}`);
}
