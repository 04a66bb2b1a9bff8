/**
 * Large texts (the launcher, step scripts, bundled samples) are written once, as workflow parameters,
 * and each container's command refers to them; Argo puts the text in when it creates the pod. Written
 * inline per node, a pipeline of the real 25-60 KB scripts would pass Kubernetes' ~1.5 MB object
 * limit at about 30 nodes.
 */
import { largeTextMemo } from '../largeText.ts';
import { protectArgoArg } from './launcher.ts';

// Argo JSON-quotes a parameter value with Go's strconv.Quote, whose \a, \v and \xNN escapes are not
// JSON: a text holding such characters (or a lone surrogate) stays inline instead.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NOT_JSON_SAFE_IN_GO_QUOTE = /[\u0000-\u0007\u000b\u000e-\u001f\u007f\ud800-\udfff]/;

/** The text as the step must receive it, and whether it has to stay inline. */
const parameterText = largeTextMemo((text) => ({ protectedText: protectArgoArg(text), inline: NOT_JSON_SAFE_IN_GO_QUOTE.test(text) }));

export class WorkflowTexts {
  private readonly values = new Map<string, string>();
  // Per hint, the texts seen and what each was written as; nodes of one type share the same string.
  private readonly seen = new Map<string, { text: string; ref: string }[]>();

  /** A reference to `text` under a parameter named after `hint` (the same text shares one parameter). */
  ref(hint: string, text: string): string {
    const entries = this.seen.get(hint) ?? [];
    const known = entries.find((e) => e.text === text);
    if (known) return known.ref;
    let ref: string;
    const { protectedText, inline } = parameterText(text);
    if (inline) {
      ref = protectedText;
    } else {
      const base = hint.replace(/[^A-Za-z0-9_-]/g, '-');
      let name = base;
      for (let n = 2; this.values.has(name); n++) name = `${base}-${n}`;
      this.values.set(name, protectedText);
      ref = `{{workflow.parameters.${name}}}`;
    }
    entries.push({ text, ref });
    this.seen.set(hint, entries);
    return ref;
  }

  /** The `spec.arguments.parameters` list, in the order the texts were first used. */
  parameters(): { name: string; value: string }[] {
    return [...this.values].map(([name, value]) => ({ name, value }));
  }
}
