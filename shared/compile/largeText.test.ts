import { describe, expect, it } from 'vitest';
import { largeTextMemo, utf8Length } from './largeText.ts';

describe('largeTextMemo', () => {
  it('computes a large text once and a short one every time, with the same results', () => {
    const seen: number[] = [];
    const upper = largeTextMemo((t) => {
      seen.push(t.length);
      return t.toUpperCase();
    });
    const large = 'ab\n'.repeat(2000);
    expect([upper(large), upper(large), upper(`${large}`)]).toEqual([large.toUpperCase(), large.toUpperCase(), large.toUpperCase()]);
    expect([upper('short'), upper('short')]).toEqual(['SHORT', 'SHORT']);
    expect(seen).toEqual([6000, 5, 5]);
  });

  it('starts afresh instead of holding more than a few MB, and stays correct', () => {
    const lengths = largeTextMemo((t) => t.length);
    const texts = Array.from({ length: 40 }, (_, i) => String.fromCharCode(97 + (i % 26)).repeat(200_000 + i));
    for (const t of texts) expect(lengths(t)).toBe(t.length);
    for (const t of texts) expect(lengths(t)).toBe(t.length);
  });

  it.each([
    ['ascii', 'abc', 3],
    ['Korean', '한국어', 9],
    ['emoji', '😀', 4],
    ['large Korean', '가'.repeat(5000), 15000],
  ])('measures %s text in UTF-8 bytes', (_name, text, bytes) => {
    expect(utf8Length(text)).toBe(bytes);
  });
});
