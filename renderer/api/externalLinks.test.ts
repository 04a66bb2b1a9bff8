import { describe, expect, it } from 'vitest';
import { externalHref, handleLinkClick, installExternalLinks } from './externalLinks.ts';

/** An element inside a link, as far as `closest` goes. */
const inLink = (href: string) => ({ closest: (selector: string) => (selector === 'a[href]' ? { href } : null) });
const notInLink = { closest: () => null };

function click(target: unknown, button = 0) {
  const event = { target: target as EventTarget, button, defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
  return event;
}

function bridge() {
  const asked: string[] = [];
  return { asked, openExternal: async (url: string) => void asked.push(url) };
}

describe('desktop links', () => {
  it('finds the http(s) link a click landed in', () => {
    expect(externalHref(inLink('https://mlflow.example/#/runs/1') as unknown as EventTarget)).toBe('https://mlflow.example/#/runs/1');
    expect(externalHref(inLink('http://mlflow.ml.svc:5000/') as unknown as EventTarget)).toBe('http://mlflow.ml.svc:5000/');
    expect(externalHref(inLink('app://pipewright/index.html#x') as unknown as EventTarget)).toBeNull();
    expect(externalHref(inLink('javascript:void(0)') as unknown as EventTarget)).toBeNull();
    expect(externalHref(notInLink as unknown as EventTarget)).toBeNull();
    expect(externalHref(null)).toBeNull();
  });

  it('a click on a link asks the bridge, from within the click, and keeps the window where it is', () => {
    const b = bridge();
    const event = click(inLink('https://mlflow.example/'));
    expect(handleLinkClick(event, b, () => {})).toBe(true);
    expect(event.defaultPrevented).toBe(true);
    // Called synchronously: the preload checks navigator.userActivation while the click is still active.
    expect(b.asked).toEqual(['https://mlflow.example/']);
  });

  it('a middle click opens it too; right clicks, handled clicks and other targets are left alone', () => {
    const b = bridge();
    expect(handleLinkClick(click(inLink('https://a.example/'), 1), b, () => {})).toBe(true);
    expect(handleLinkClick(click(inLink('https://b.example/'), 2), b, () => {})).toBe(false);
    const handled = click(inLink('https://c.example/'));
    handled.defaultPrevented = true;
    expect(handleLinkClick(handled, b, () => {})).toBe(false);
    expect(handleLinkClick(click(notInLink), b, () => {})).toBe(false);
    expect(b.asked).toEqual(['https://a.example/']);
  });

  it('says why a link was not opened', async () => {
    const refused: string[] = [];
    const event = click(inLink('https://mlflow.example/'));
    handleLinkClick(event, { openExternal: () => Promise.reject(new Error('Not opened: links open in the browser only from a click.')) }, (m) => refused.push(m));
    await Promise.resolve();
    await Promise.resolve();
    expect(refused).toEqual(['Not opened: links open in the browser only from a click.']);
  });

  it('listens only where there is a bridge (the desktop app), in the capture phase', () => {
    const added: [string, boolean][] = [];
    const doc = { addEventListener: (type: string, _l: unknown, capture: boolean) => void added.push([type, capture]), removeEventListener: () => {} };
    installExternalLinks(doc as unknown as Document, undefined, () => {});
    expect(added).toEqual([]);
    const stop = installExternalLinks(doc as unknown as Document, { invoke: async () => ({ ok: true, value: null }), onEvent: () => () => {}, openExternal: async () => {} }, () => {});
    expect(added).toEqual([['click', true], ['auxclick', true]]);
    stop();
  });
});
