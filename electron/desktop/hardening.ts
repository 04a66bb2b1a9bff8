/** Locks down a window's web contents and session: no navigation away, no popups, no permissions. */
import type { Session, WebContents } from 'electron';
import { isAppUrl } from './origin.ts';

/** Permissions the app itself uses (copy buttons write to the clipboard); everything else is denied. */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

/**
 * No navigation away from the app, no popups, no <webview>. A link to the outside opens in the system
 * browser only through the bridge's openExternal (the preload checks that a click is behind it): the main
 * process cannot tell a click from a script here, so these paths only refuse.
 */
export function hardenWebContents(contents: WebContents): void {
  const refuse = (event: { preventDefault(): void }, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', (event, url) => refuse(event, url));
  contents.on('will-redirect', (event, url) => refuse(event, url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export function isPermissionAllowed(permission: string, requestingUrl: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isAppUrl(requestingUrl);
}

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin));
  // Nothing is downloaded through the renderer; files go through the back end.
  session.on('will-download', (event) => event.preventDefault());
}
