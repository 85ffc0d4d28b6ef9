// Another git revision's source tree beside the working tree, for scripts that compare the two (bench:ab,
// check:same): extracted into a temporary folder with the working tree's node_modules and a probe copied in (older
// revisions may not have it), so the probe can be bundled against either tree.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The full commit id REF names in this repository, or undefined when it names none. */
export function commitOf(ref) {
  const r = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * Extract commit `sha` into a new temporary folder (its name starts with `prefix`), link the working tree's
 * node_modules into it and copy the working tree's `probe` (a path relative to the root) over. Returns the folder; the
 * caller removes it.
 */
export function treeWithProbe(sha, prefix, probe) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const archive = spawnSync('sh', ['-c', `git archive --format=tar ${sha} | tar -x -C "${dir}"`], { stdio: 'inherit' });
  if (archive.status !== 0) throw new Error(`could not extract ${sha}`);
  symlinkSync(resolve('node_modules'), join(dir, 'node_modules'), 'dir');
  mkdirSync(join(dir, dirname(probe)), { recursive: true });
  copyFileSync(probe, join(dir, probe));
  return dir;
}

/**
 * Bundle `probe` against the revision's tree (`dir`, from `treeWithProbe`) into `refOut`, and against the working tree
 * into `treeOut` (node, CommonJS). A probe that does not build against the revision fails with `needs`, saying what it
 * needs from a tree.
 */
export async function bundleBoth(dir, probe, refOut, treeOut, ref, sha, needs) {
  const build = (root, outfile) =>
    esbuild.build({ entryPoints: [join(root, probe)], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'silent' });
  try {
    await build(dir, refOut);
  } catch {
    throw new Error(`the probe does not build against ${ref} (${sha.slice(0, 7)}): it needs ${needs}`);
  }
  await build('.', treeOut);
}
