// The CLI's `main` run in process on in-memory files: its exit code and what it wrote to stdout and stderr.
import { main } from '../../../src/cli/main';

export function cli(argv: string[], files: Record<string, string> = {}): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(argv, {
    out: (s) => (out += `${s}\n`),
    err: (s) => (err += `${s}\n`),
    readFile: (p) => {
      const t = files[p];
      if (t === undefined) throw new Error(`ENOENT: no such file, open '${p}'`);
      return t;
    },
  });
  return { code, out, err };
}
