// Types of installHints.mjs, for its unit test.
export declare const PREREQUISITES: readonly { kind: 'header' | 'program'; path: string; pkg: string; why: string }[];
export declare const LOG_HINTS: readonly { pattern: RegExp; pkg: string }[];
export declare function missingPrerequisitesMessage(
  fileExists: (path: string) => boolean,
  hasProgram: (name: string) => boolean,
): string | undefined;
export declare function buildFailureHint(log: string): string;
