import type { RequestHandler } from 'express'

/** A Host header we may echo into a header value: host name or address and an optional port, nothing else. */
const SAFE_HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/

/**
 * The Content-Security-Policy of every response. What the app and tldraw 5 need, checked in Chromium
 * (tests/e2e/securityHeaders.test.ts):
 * - scripts, fonts, icons, translations and the service worker come from our own origin ('self'); no inline script;
 * - tldraw sets inline styles everywhere (style attributes, <style> for its CSS variables): style-src 'unsafe-inline';
 * - images pasted or dropped on the board are blob: and data: URLs, and tldraw exports/thumbnails draw through them;
 *   the QR code is a data: image; tldraw also fetch()es those data:/blob: URLs to read an image (connect-src);
 * - the sync WebSocket is same-origin; browsers differ on whether 'self' covers ws:/wss:, so the page's own host is
 *   named for both (only when the Host header is a plain host[:port], never echoed otherwise);
 * - nobody may frame the app (clickjacking of the facilitator's buttons): frame-ancestors 'none'.
 */
export function contentSecurityPolicy(host: string | undefined): string {
  const sockets = host !== undefined && SAFE_HOST.test(host) ? ` ws://${host} wss://${host}` : ''
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data: blob:",
    "media-src 'self' data: blob:",
    `connect-src 'self' data: blob:${sockets}`,
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/**
 * Not `helmet`: its defaults send other headers than these (HSTS, which the operator's TLS proxy owns, and several
 * more), it has no Permissions-Policy, the CSP names the request's own host for the WebSocket, and the raw answers
 * below need the same lines anyway: configuring it to send exactly this would be longer than this function.
 *
 * The headers every HTTP response carries (see contentSecurityPolicy). `Referrer-Policy: no-referrer`: keys
 * travel in the URL fragment, which browsers never send, but nothing about a board's address should leave either.
 */
export function securityHeaders(): RequestHandler {
  return (req, res, next) => {
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(req.headers.host))
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('X-Frame-Options', 'DENY')
    res.setHeader('Referrer-Policy', 'no-referrer')
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()')
    next()
  }
}

/** The same protections as raw header lines, for the plain HTTP answers written on a socket (refused upgrades). */
export const RAW_SECURITY_HEADERS = 'X-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\nReferrer-Policy: no-referrer\r\n'
