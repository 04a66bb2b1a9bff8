/** Native confirmations before Pipewright runs a program the user named: the safe answer is the default. */
import type { MessageBoxOptions, MessageBoxReturnValue } from 'electron';

export type DialogLanguage = 'en' | 'ko';

export type ShowMessageBox = (options: MessageBoxOptions) => Promise<Pick<MessageBoxReturnValue, 'response'>>;

/** A warning with [confirm, cancel] buttons where Enter or Escape cancels. */
export function cancelByDefault(text: { title: string; message: string; detail: string; buttons: readonly [string, string] }): MessageBoxOptions {
  return { type: 'warning', title: text.title, message: text.message, detail: text.detail, buttons: [...text.buttons], defaultId: 1, cancelId: 1, noLink: true };
}

/** A confirm function for the reach gate: shows `dialog` in the user's language; true only when the first button was pressed. */
export function createConfirm<A extends unknown[]>(
  showMessageBox: ShowMessageBox,
  language: () => Promise<DialogLanguage>,
  dialog: (language: DialogLanguage, ...args: A) => MessageBoxOptions,
): (...args: A) => Promise<boolean> {
  return async (...args) => (await showMessageBox(dialog(await language(), ...args))).response === 0;
}
