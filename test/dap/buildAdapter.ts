// The standalone debug adapter the DAP suites talk to, built from source into a scratch folder (so the suites run on
// a fresh clone, where dist/ does not exist yet).
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

/** Bundles src/debug/standalone.ts to DIR/debugAdapter.js; returns that path. */
export async function buildAdapter(dir: string): Promise<string> {
  const outfile = join(dir, 'debugAdapter.js');
  await build({
    entryPoints: [join(resolve(__dirname, '..', '..'), 'src', 'debug', 'standalone.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    logLevel: 'silent',
  });
  return outfile;
}
