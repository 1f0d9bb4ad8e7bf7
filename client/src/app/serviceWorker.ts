/**
 * Registers public/sw.js (app shell offline: see the comment there). Only in built apps (the Vite dev server
 * serves modules, not hashed assets) and only where service workers exist (https, or http on localhost/127.x).
 * Files this page loaded before the worker controlled it are reported to it, so they are cached too.
 */
export function registerServiceWorker(): void {
  if (import.meta.env.DEV || !('serviceWorker' in navigator)) return
  const report = () => {
    const urls = performance
      .getEntriesByType('resource')
      .map((e) => e.name)
      .filter((u) => u.startsWith(`${location.origin}/assets/`))
    navigator.serviceWorker.controller?.postMessage({ type: 'tavolo:remember', urls: ['/index.html', ...urls] })
  }
  navigator.serviceWorker.addEventListener('controllerchange', report)
  const register = () => {
    navigator.serviceWorker
      .register('/sw.js')
      .then(() => navigator.serviceWorker.ready)
      .then(report)
      .catch((error: unknown) => {
        console.warn('[tavolo] offline support unavailable (service worker not registered)', error)
      })
  }
  // Installing the worker and caching every file the page loaded is work a board that is still opening does not
  // need: it waits for the page to be idle (on a throttled phone, until the board is shown; issue 13 part 3).
  const whenIdle = () => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(register, { timeout: 10_000 })
    else setTimeout(register, 2000)
  }
  // The app's code is loaded by the boot chunk (main.tsx): the page may have finished loading before it runs.
  if (document.readyState === 'complete') whenIdle()
  else window.addEventListener('load', whenIdle)
}
