/**
 * Results of pure functions of large texts, kept from one compile to the next. The catalog's step
 * scripts (tens of KB each) are the same strings in every compile of an editing session; escaping,
 * checking and indenting them again was a third of the time a small pipeline took to compile.
 */

/** Shorter texts are cheaper to work on again than to look up. */
const MIN_LENGTH = 4096;
/** All memos together keep at most this many characters of input; then they start afresh. */
const MAX_CHARS = 4 << 20;

const memos: Map<string, unknown>[] = [];
let heldChars = 0;

/** `compute`, remembered for texts of at least 4,096 characters; `compute` must depend on its argument only. */
export function largeTextMemo<T>(compute: (text: string) => T): (text: string) => T {
  const results = new Map<string, T>();
  memos.push(results as Map<string, unknown>);
  return (text) => {
    if (text.length < MIN_LENGTH) return compute(text);
    if (results.has(text)) return results.get(text) as T;
    const result = compute(text);
    if (heldChars + text.length > MAX_CHARS) {
      for (const memo of memos) memo.clear();
      heldChars = 0;
    }
    results.set(text, result);
    heldChars += text.length;
    return result;
  };
}

/** Bytes of `text` in UTF-8. */
export const utf8Length = largeTextMemo((text) => new TextEncoder().encode(text).length);
