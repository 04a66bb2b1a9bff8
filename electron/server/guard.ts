/** Who may talk to the browser-mode server: the right Host, our own Origin, and the token. */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_HEADER = 'x-pipewright-token';

export function tokenCookieName(port: number): string {
  // Cookies ignore ports: a per-port name keeps two instances on one machine apart.
  return `pipewright-token-${port}`;
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function allowedOrigins(port: number): string[] {
  return allowedHosts(port).map((host) => `http://${host}`);
}

/** Refuses any other Host header, so a DNS-rebound name cannot reach us. */
export function isAllowedHost(request: IncomingMessage, port: number): boolean {
  const host = request.headers.host?.toLowerCase();
  return host !== undefined && allowedHosts(port).includes(host);
}

/** A request from another site: a foreign Origin, or a browser's Sec-Fetch-Site saying so. */
export function isCrossOrigin(request: IncomingMessage, port: number): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined && !allowedOrigins(port).includes(origin.toLowerCase())) return true;
  const site = request.headers['sec-fetch-site'];
  return site === 'cross-site' || site === 'same-site';
}

export function readCookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

export function sameToken(candidate: string | undefined, token: string): boolean {
  if (candidate === undefined) return false;
  const a = Buffer.from(candidate);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export type TokenSource = 'query' | 'header' | 'cookie';

/** Where a valid token came from, or null. */
export function findToken(request: IncomingMessage, url: URL, port: number, token: string): TokenSource | null {
  if (sameToken(url.searchParams.get('token') ?? undefined, token)) return 'query';
  const header = request.headers[TOKEN_HEADER];
  if (sameToken(typeof header === 'string' ? header : undefined, token)) return 'header';
  if (sameToken(readCookie(request, tokenCookieName(port)), token)) return 'cookie';
  return null;
}
