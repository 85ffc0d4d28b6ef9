// `npm start` asks for the lesson to be open when its VS Code comes up: it sets CACHE_WORKBENCH_OPEN_LESSON=1 in the
// environment of the VS Code it starts (and opens a bundled scenario, whose language activates the extension, as the
// extension never activates on startup). Outside `npm start` nothing is set, and activation opens no panel by itself.

/** The variable `npm start` (scripts/start.mjs) sets for the VS Code it starts; `1` asks for the lesson. */
export const OPEN_LESSON_ENV = 'CACHE_WORKBENCH_OPEN_LESSON';

/**
 * Opens the lesson (as the Open Lesson command does: the sidebar view and the panel) when `env` asks for it.
 * Returns whether it was asked; a failure to open is logged, never thrown into activation.
 */
export function openLessonIfAsked(
  env: Readonly<Record<string, string | undefined>>,
  openLesson: () => Promise<void>,
  log: (line: string) => void,
): boolean {
  if (env[OPEN_LESSON_ENV] !== '1') return false;
  log(`${OPEN_LESSON_ENV}=1 (npm start): opening the lesson`);
  openLesson().catch((err: unknown) => log(`opening the lesson at startup failed: ${err instanceof Error ? err.message : String(err)}`));
  return true;
}
