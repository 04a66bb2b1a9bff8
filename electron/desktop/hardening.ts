/** Locks down a window's web contents and session: no navigation away, no popups, no permissions. */
import type { Session, WebContents } from 'electron';
import { isAppUrl } from './origin.ts';

/** Permissions the app itself uses (copy buttons write to the clipboard); everything else is denied. */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

export interface HardeningOptions {
  /** Opens an http(s) link in the system browser (shell.openExternal), e.g. an MLflow run the user clicked. */
  openExternal(url: string): void;
}

export function isExternalLink(url: string): boolean {
  try {
    // In-cluster MLflow and dashboards are often plain http: the link still opens in the browser, never in the app window.
    const protocol = new URL(url).protocol;
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

export function hardenWebContents(contents: WebContents, { openExternal }: HardeningOptions): void {
  const refuse = (event: { preventDefault(): void }, url: string) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    if (isExternalLink(url)) openExternal(url);
  };
  contents.on('will-navigate', (event, url) => refuse(event, url));
  contents.on('will-redirect', (event, url) => refuse(event, url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) openExternal(url);
    return { action: 'deny' };
  });
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
