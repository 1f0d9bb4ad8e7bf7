/* Tavolo's service worker: keeps the app shell available offline, so reloading a board with no network (or with
 * the server down) still opens the last known board from IndexedDB. It never touches /api or /sync.
 * - page navigations: network first; when the network fails, the last index.html we saw;
 * - /assets/* (content-hashed, immutable): cache first, filled as they are fetched.
 * Old hashed assets are dropped when a newer index.html is seen (keeps the cache to one version plus a spare). */
const CACHE = 'tavolo-shell-v1'
const INDEX = '/index.html'

/** Caches same-origin shell files: index.html and /assets/* (the page reports what it loaded before we ran). */
async function remember(urls) {
  const cache = await caches.open(CACHE)
  for (const raw of urls) {
    try {
      const url = new URL(raw, self.location.origin)
      if (url.origin !== self.location.origin) continue
      if (url.pathname === '/' || url.pathname === INDEX) {
        const response = await fetch(INDEX, { cache: 'no-cache' })
        if (response.ok) await cache.put(INDEX, response)
      } else if (url.pathname.startsWith('/assets/') && !(await cache.match(url.pathname))) {
        const response = await fetch(url.pathname)
        if (response.ok) await cache.put(url.pathname, response)
      }
    } catch {
      // offline right now: the next visit fills it
    }
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(remember([INDEX]).then(() => self.skipWaiting()))
})
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()))
self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'tavolo:remember' && Array.isArray(event.data.urls)) {
    event.waitUntil(remember(event.data.urls.filter((u) => typeof u === 'string')))
  }
})

async function pruneAssets(cache, html) {
  const referenced = new Set(Array.from(html.matchAll(/\/assets\/[^"'?#\s)]+/g), (m) => m[0]))
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname
    if (path.startsWith('/assets/') && path.endsWith('.js') && !referenced.has(path)) await cache.delete(request)
  }
}

async function navigation(request) {
  const cache = await caches.open(CACHE)
  try {
    const response = await fetch(request)
    if (response.ok && (response.headers.get('content-type') ?? '').includes('text/html')) {
      const html = await response.clone().text()
      await cache.put(INDEX, response.clone())
      await pruneAssets(cache, html)
    }
    return response
  } catch (error) {
    const cached = await cache.match(INDEX)
    if (cached) return cached
    throw error
  }
}

async function asset(request) {
  const cache = await caches.open(CACHE)
  const cached = await cache.match(new URL(request.url).pathname)
  if (cached) return cached
  const response = await fetch(request)
  if (response.ok) await cache.put(new URL(request.url).pathname, response.clone())
  return response
}

self.addEventListener('fetch', (event) => {
  const { request } = event
  if (request.method !== 'GET') return
  const url = new URL(request.url)
  if (url.origin !== self.location.origin) return
  if (request.mode === 'navigate' && !/^\/(api|sync|healthz)(\/|$)/.test(url.pathname)) {
    event.respondWith(navigation(request))
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(asset(request))
  }
})
