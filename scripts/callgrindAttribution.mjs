// Costs of a callgrind run by function, V8's compiled JavaScript included. Callgrind sees JIT code as anonymous
// addresses; node's `--perf-basic-prof` writes where each compiled function lives (/tmp/perf-PID.map), so every
// cost line's address is looked up there. Used by scripts/profile.mjs (`npm run bench:profile`).

/**
 * A perf map's text ("START SIZE NAME" per line, hexadecimal): its ranges sorted by start, and the longest range's
 * size (no range starting further back than that can hold an address). A later line for an overlapping range wins:
 * V8 reuses code space once a function's code is freed.
 */
export function parsePerfMap(text) {
  const ranges = [];
  let longest = 0;
  for (const line of text.split('\n')) {
    const m = /^([0-9a-fA-F]+) ([0-9a-fA-F]+) (.+)$/.exec(line);
    if (!m) continue;
    const start = parseInt(m[1], 16);
    const size = parseInt(m[2], 16);
    ranges.push({ start, end: start + size, name: m[3], order: ranges.length });
    if (size > longest) longest = size;
  }
  ranges.sort((a, b) => a.start - b.start || a.order - b.order);
  return { ranges, longest };
}

/** The range holding `addr`, the newest of those that do, or undefined. */
export function lookup(map, addr) {
  const { ranges, longest } = map;
  // The last range starting at or before addr (binary search over starts).
  let lo = 0;
  let hi = ranges.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid].start <= addr) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // Back over every range that may still cover it: those starting less than the longest range's size before addr.
  let best;
  for (let i = found; i >= 0 && ranges[i].start + longest > addr; i--) {
    const r = ranges[i];
    if (addr < r.end && (best === undefined || r.order > best.order)) best = r;
  }
  return best;
}

/**
 * Per-function totals of a callgrind output written with `--dump-instr=yes --compress-strings=no --compress-pos=no`:
 * a Map from function name to { EVENT: total }. Costs under a named function (native code: V8, builtins, libc) keep
 * that name, prefixed "C:"; costs under an unnamed one are looked up in `map` (JavaScript, "JS:" plus V8's name
 * and tier mark), or counted as "?". The line after `calls=` is a call's inclusive cost and is skipped: only
 * self costs are summed.
 */
export function attribute(text, map, events) {
  const totals = new Map();
  let columns;
  let fn = '';
  let skipNext = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('events:')) {
      const names = line.slice(7).trim().split(/\s+/);
      columns = events.map((e) => names.indexOf(e));
      const missing = events.filter((_, i) => columns[i] < 0);
      if (missing.length > 0) throw new Error(`callgrind output has no ${missing.join(', ')} events (it has ${names.join(', ')})`);
      continue;
    }
    if (line.startsWith('fn=')) {
      fn = line.slice(3).trim();
      continue;
    }
    if (line.startsWith('calls=')) {
      skipNext = true;
      continue;
    }
    if (!line.startsWith('0x')) continue;
    if (skipNext) {
      skipNext = false;
      continue;
    }
    if (columns === undefined) throw new Error('callgrind output: a cost line before the events line');
    const parts = line.trim().split(/\s+/);
    const addr = parseInt(parts[0], 16);
    let name;
    if (fn !== '' && fn !== '???' && !fn.startsWith('0x')) name = `C:${fn}`;
    else {
      const r = lookup(map, addr);
      name = r === undefined ? '?' : r.name.startsWith('JS:') ? r.name : `C:${r.name}`;
    }
    let t = totals.get(name);
    if (t === undefined) {
      t = Object.fromEntries(events.map((e) => [e, 0]));
      totals.set(name, t);
    }
    // Columns after the address and the line number; a missing trailing column is zero.
    for (let i = 0; i < events.length; i++) t[events[i]] += Number(parts[2 + columns[i]] ?? 0);
  }
  return totals;
}

/** `b - a` per function and event, divided by `ops` (what the extra run's operations cost, one operation's worth). */
export function perOpDifference(a, b, events, ops) {
  const out = new Map();
  for (const name of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(name);
    const y = b.get(name);
    out.set(name, Object.fromEntries(events.map((e) => [e, ((y?.[e] ?? 0) - (x?.[e] ?? 0)) / ops])));
  }
  return out;
}
