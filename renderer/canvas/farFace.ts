/**
 * What a card shows zoomed out (semantic zoom): its title, its status and one key figure, in type large
 * enough to read at the scale that fits a whole pipeline on screen. The face takes exactly the room of the
 * detailed card's text, so a card has one size at every zoom (no re-measuring, ports in the same place),
 * and text is cut to fit by counting rather than clipped (a clip per card costs every drag frame).
 */
import type { ParamValue } from '../../shared/pipeline/types.ts';
import type { NodePhase } from '../../shared/runs/types.ts';

/** Font sizes (px, flow units) and line heights of the face: node-far.css `.node-far-*` uses the same. */
export const FAR_TITLE = { font: 26, line: 28 };
export const FAR_FIGURE = { font: 24, line: 26 };
/** Text width inside a card: 230 px less 2 × 10 px padding, less a little for the badge gap. */
const TEXT_WIDTH = 206;

/** Room the detailed card gives its text (head, label, parameters, resources), given an empty card's height. */
export function faceHeight(emptyCardHeight: number, cardParams: number): number {
  // Border (3 + 1) and padding (2 × 8) are around the text; parameters are 17 px rows plus 6; resources 17.
  return emptyCardHeight - 20 + (cardParams > 0 ? cardParams * 17 + 6 : 0) + 17;
}

/** How many title lines fit above the figure line. */
export function titleLines(height: number): number {
  return Math.max(1, Math.min(3, Math.floor((height - FAR_FIGURE.line) / FAR_TITLE.line)));
}

/** Width of a character in em: Hangul and other wide scripts take a full em, Latin about 0.6 (bold). */
function charWidth(ch: string): number {
  const code = ch.codePointAt(0)!;
  if (code >= 0x1100 && (code <= 0x115f || (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xff00 && code <= 0xff60)))
    return 1;
  if (ch === ' ' || ch === '.' || ch === ',' || ch === ':' || ch === 'i' || ch === 'l' || ch === '/' || ch === '(' || ch === ')' || ch === '|') return 0.34;
  if (ch >= 'A' && ch <= 'Z') return 0.68;
  if (ch === 'm' || ch === 'w' || ch === 'M' || ch === 'W') return 0.85;
  return 0.58;
}

/** Text cut to `lines` lines of `width` px at `font` px, words kept whole where they can be; "…" when cut. */
export function fitText(text: string, font: number, lines: number, width = TEXT_WIDTH): string {
  const perLine = width / font;
  const out: string[] = [];
  let line = '';
  let used = 0;
  const words = text.split(/(\s+)/).filter((w) => w !== '');
  for (let wi = 0; wi < words.length; wi++) {
    const word = words[wi];
    const w = [...word].reduce((sum, ch) => sum + charWidth(ch), 0);
    if (used + w <= perLine) {
      line += word;
      used += w;
      continue;
    }
    if (/^\s+$/.test(word)) {
      if (out.length + 1 >= lines) return `${out.concat(line).join('\n').trimEnd()}…`;
      out.push(line.trimEnd());
      line = '';
      used = 0;
      continue;
    }
    // The word does not fit the rest of this line: next line when it fits one (and one is left), else break it.
    if (used > 0 && w <= perLine && out.length + 1 < lines) {
      out.push(line.trimEnd());
      line = word;
      used = w;
      continue;
    }
    for (const ch of word) {
      const cw = charWidth(ch);
      if (used + cw > perLine) {
        if (out.length + 1 >= lines) return `${out.concat(trimToFit(line, perLine - charWidth('…'))).join('\n')}…`;
        out.push(line);
        line = '';
        used = 0;
      }
      line += ch;
      used += cw;
    }
  }
  return out.concat(line).join('\n');
}

function trimToFit(line: string, room: number): string {
  const chars = [...line];
  let used = chars.reduce((sum, ch) => sum + charWidth(ch), 0);
  while (chars.length > 0 && used > room) used -= charWidth(chars.pop()!);
  return chars.join('').trimEnd();
}

export interface FaceInput {
  phase: NodePhase | '';
  progress?: number;
  lastLoss?: number;
  gpus: number;
  /** The card's first parameters: title and value as the card shows them, and the raw value. */
  params: { title: string; text: string; value: ParamValue | undefined }[];
}

export type Figure = { key: string; values?: Record<string, string | number> } | { text: string };

/** The last part of a URI or path ("s3://bucket/corpus/" → "corpus"), or null when the value is not one. */
export function uriTail(value: ParamValue | undefined): string | null {
  if (typeof value !== 'string' || !/^[a-z][a-z0-9+.-]*:\/\/|^\//i.test(value)) return null;
  const parts = value
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .split('/')
    .filter(Boolean);
  return parts.length > 1 ? parts[parts.length - 1] : null;
}

/** The one figure a far card shows: how far a running step is, else its GPUs, else what its first parameter says. */
export function keyFigure(input: FaceInput): Figure | null {
  if (input.phase === 'running' && input.progress !== undefined) return { key: 'ux.far.progress', values: { percent: Math.round(Math.max(0, Math.min(1, input.progress)) * 100) } };
  if (input.lastLoss !== undefined && Number.isFinite(input.lastLoss)) return { key: 'ux.far.loss', values: { value: Number(input.lastLoss.toPrecision(3)) } };
  if (input.gpus > 0) return { key: 'ux.far.gpus', values: { count: input.gpus } };
  const first = input.params[0];
  if (!first) return null;
  const tail = uriTail(first.value);
  if (tail) return { text: tail };
  return { text: `${first.title} ${first.text}` };
}
