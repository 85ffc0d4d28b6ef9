// `npm run bench`: bundles bench/bench.ts with esbuild (plain optimised JS, no test-time loaders) and runs it.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';

await esbuild.build({ entryPoints: ['bench/bench.ts'], outfile: 'out/bench.js', bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'warning' });
const r = spawnSync(process.execPath, ['out/bench.js', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
