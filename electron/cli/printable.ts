/**
 * Text from a step's log made safe for a terminal: control characters (escape sequences that could
 * clear the screen or retitle the window, NUL, bell, C1 controls) and bytes that were not UTF-8
 * (decoded as U+FFFD) are written as visible escapes; tabs stay.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNPRINTABLE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\ufffd\ud800-\udfff\u2028\u2029]/g;

export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (ch) => {
    if (ch === '\ufffd') return '\\ufffd';
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
