// Types of callgrindAttribution.mjs, for its unit test.
export interface Range {
  start: number;
  end: number;
  name: string;
  order: number;
}
export interface PerfMap {
  ranges: Range[];
  longest: number;
}
export declare function parsePerfMap(text: string): PerfMap;
export declare function lookup(map: PerfMap, addr: number): Range | undefined;
export declare function attribute(text: string, map: PerfMap, events: string[]): Map<string, Record<string, number>>;
export declare function perOpDifference(
  a: Map<string, Record<string, number>>,
  b: Map<string, Record<string, number>>,
  events: string[],
  ops: number,
): Map<string, Record<string, number>>;
