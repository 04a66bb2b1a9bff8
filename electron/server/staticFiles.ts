/** Serves the built renderer (dist/renderer) with the security headers; never a file outside it. */
import { createReadStream, promises as fs } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The file under `root` for a URL path, or null if it would leave `root`. */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`);
  return file === root || file.startsWith(root + path.sep) ? file : null;
}

export async function serveStatic(root: string, urlPath: string, response: ServerResponse, headers: Record<string, string>): Promise<void> {
  const resolvedRoot = path.resolve(root);
  let file = resolveStaticPath(resolvedRoot, urlPath === '/' ? '/index.html' : urlPath);
  let stat = file ? await fs.stat(file).catch(() => null) : null;
  // Paths without an extension are the app's own routes: they get the page.
  if ((!stat || !stat.isFile()) && path.extname(urlPath) === '') {
    file = path.join(resolvedRoot, 'index.html');
    stat = await fs.stat(file).catch(() => null);
    if (!stat) {
      response.writeHead(503, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(`The renderer is not built (${resolvedRoot}/index.html is missing). Run: npm run build\n`);
      return;
    }
  }
  if (!file || !stat || !stat.isFile()) {
    response.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    response.end('Not found\n');
    return;
  }
  const hashed = urlPath.startsWith('/assets/');
  response.writeHead(200, {
    ...headers,
    'Content-Type': contentTypeOf(file),
    'Content-Length': String(stat.size),
    'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  createReadStream(file).pipe(response);
}
