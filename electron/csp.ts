/** The one Content-Security-Policy for the renderer, in the desktop shell and in browser mode. */

export interface CspOptions {
  /** Extra connect-src sources (browser mode: its own ws:// origins). */
  connect?: string[];
}

/**
 * Scripts and workers from our origin only (Monaco's workers are bundled files); Monaco injects
 * style elements, hence 'unsafe-inline' for styles and nothing else.
 */
export function contentSecurityPolicy({ connect = [] }: CspOptions = {}): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "worker-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${["'self'", ...connect].join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers sent with every page and asset. */
export function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
  };
}
