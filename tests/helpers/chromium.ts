/** Debian's Chromium and the flags every headless run here needs (browser tests and the browser benchmark). */
export const CHROMIUM_PATH = '/usr/bin/chromium'

// Without the background-networking flags Chromium keeps trying Google's hosts, which this closed network refuses.
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
