// Reset Progress's question: a modal whose Cancel is the dialog's own close affordance (Escape, the close box and the
// Cancel button all answer it), never an answer compared by its label. Free of `vscode`, so the unit tests drive it.

/** The slice of vscode.MessageItem used here. */
export interface ResetChoice {
  title: string;
  isCloseAffordance?: boolean;
}

export const RESET_ITEM: ResetChoice = { title: 'Reset Progress' };
export const CANCEL_ITEM: ResetChoice = { title: 'Cancel', isCloseAffordance: true };

export const RESET_QUESTION = 'Reset your Cache Workbench progress?';
export const RESET_DETAIL = 'Sections read, knowledge-check attempts and your best score will be cleared. This cannot be undone.';

/** vscode.window.showWarningMessage, as Reset Progress calls it. */
export type AskReset = (message: string, options: { modal: true; detail: string }, ...items: ResetChoice[]) => Thenable<ResetChoice | undefined>;

/** `{ confirm: false }` (tests, scripted callers) skips the question; a learner is always asked. */
export function skipsQuestion(arg: unknown): boolean {
  return typeof arg === 'object' && arg !== null && (arg as { confirm?: unknown }).confirm === false;
}

/**
 * True when progress should be reset: the caller skipped the question, or the learner chose Reset Progress itself.
 * A question VS Code will not show (an extension test host refuses every dialog) resets nothing and is logged: the
 * command must still run without an error, as every contributed command must.
 */
export async function confirmReset(arg: unknown, ask: AskReset, log: (line: string) => void = () => undefined): Promise<boolean> {
  if (skipsQuestion(arg)) return true;
  let answer: ResetChoice | undefined;
  try {
    answer = await ask(RESET_QUESTION, { modal: true, detail: RESET_DETAIL }, RESET_ITEM, CANCEL_ITEM);
  } catch (err) {
    log(`Reset Progress could not ask (${err instanceof Error ? err.message : String(err)}); nothing was reset.`);
    return false;
  }
  return answer === RESET_ITEM;
}
