/** Serves the built renderer on the privileged `app://pipewright` scheme, with the CSP header. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { contentSecurityPolicy, securityHeaders } from '../csp.ts';
import { contentTypeOf, resolveStaticPath } from '../server/staticFiles.ts';
import { APP_HOST, APP_SCHEME } from './origin.ts';

/** Registered before `app.ready` (protocol.registerSchemesAsPrivileged). */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

function textResponse(status: number, text: string, headers: Record<string, string>): Response {
  return new Response(text, { status, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** A handler for protocol.handle: only GET of files under `root`, at our host. */
export function createAppProtocolHandler(root: string): (request: Request) => Promise<Response> {
  const resolvedRoot = path.resolve(root);
  const headers = securityHeaders(contentSecurityPolicy());
  return async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return textResponse(404, 'Not found', headers);
    if (request.method !== 'GET') return textResponse(405, 'Method not allowed', headers);
    const urlPath = url.pathname === '/' ? '/index.html' : url.pathname;
    const file = resolveStaticPath(resolvedRoot, urlPath);
    const data = file ? await fs.readFile(file).catch(() => null) : null;
    if (!file || !data) return textResponse(404, `Not found: ${url.pathname}`, headers);
    return new Response(new Uint8Array(data), { status: 200, headers: { ...headers, 'Content-Type': contentTypeOf(file) } });
  };
}
