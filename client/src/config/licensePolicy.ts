/**
 * tldraw needs a license key on production origins (https with a real host name); without one it removes the
 * editor after a few seconds. We never bypass that check: we refuse to render the editor and explain instead.
 * "Production" mirrors tldraw's own rule for built apps (LicenseManager.getIsDevelopment): https on a host that is
 * not localhost, ::1 or 127.x (a *.localhost name counts as production there too).
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '')
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host)
}

export function isProductionOrigin(location: { protocol: string; hostname: string }): boolean {
  return location.protocol === 'https:' && !isLoopbackHost(location.hostname)
}

/** True when the board must not be rendered: production origin and no key. */
export function mustBlockForMissingLicense(
  location: { protocol: string; hostname: string },
  licenseKey: string | null,
): boolean {
  return isProductionOrigin(location) && !licenseKey
}
