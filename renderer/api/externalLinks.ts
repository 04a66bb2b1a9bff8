/**
 * Desktop app: a click on a link to the outside (an MLflow run, a dashboard) opens it in the system
 * browser through the preload's openExternal, from within the click itself, where the preload can see
 * the user's activation. The window refuses every other way out (navigation, window.open). Browser mode
 * has no bridge: links behave as they do on any page.
 */
import type { PipewrightBridge } from '../../shared/api/bridge.ts';

interface AnchorLike {
  href: string;
}

interface ClickLike {
  target: EventTarget | null;
  button: number;
  defaultPrevented: boolean;
  preventDefault(): void;
}

/** The http(s) address of the link a click landed in, or null. */
export function externalHref(target: EventTarget | null): string | null {
  const element = target as { closest?: (selector: string) => AnchorLike | null } | null;
  const anchor = typeof element?.closest === 'function' ? element.closest('a[href]') : null;
  if (!anchor) return null;
  try {
    const url = new URL(anchor.href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Handles one click or middle click; returns whether it was a link to the outside. */
export function handleLinkClick(event: ClickLike, bridge: Pick<PipewrightBridge, 'openExternal'>, onRefused: (message: string) => void): boolean {
  if (event.defaultPrevented || (event.button !== 0 && event.button !== 1)) return false;
  const href = externalHref(event.target);
  if (!href) return false;
  event.preventDefault();
  if (!bridge.openExternal) {
    onRefused('this version of the app cannot open links');
    return true;
  }
  bridge.openExternal(href).catch((error: unknown) => onRefused(error instanceof Error ? error.message : String(error)));
  return true;
}

/** Listens on the document (capture phase, before React's handlers); returns the function that stops it. */
export function installExternalLinks(
  doc: Pick<Document, 'addEventListener' | 'removeEventListener'>,
  bridge: PipewrightBridge | undefined,
  onRefused: (message: string) => void,
): () => void {
  if (!bridge) return () => {};
  const listener = (event: Event) => void handleLinkClick(event as MouseEvent, bridge, onRefused);
  doc.addEventListener('click', listener, true);
  doc.addEventListener('auxclick', listener, true);
  return () => {
    doc.removeEventListener('click', listener, true);
    doc.removeEventListener('auxclick', listener, true);
  };
}
