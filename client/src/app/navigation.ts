import { useSyncExternalStore } from 'react'

/** Client-side navigation without a router: pushState + a popstate notification. */
export function navigate(path: string): void {
  window.history.pushState(null, '', path)
  window.dispatchEvent(new PopStateEvent('popstate'))
}

function subscribe(onChange: () => void) {
  window.addEventListener('popstate', onChange)
  window.addEventListener('hashchange', onChange)
  return () => {
    window.removeEventListener('popstate', onChange)
    window.removeEventListener('hashchange', onChange)
  }
}

const snapshot = () => `${window.location.pathname}${window.location.hash}`

/** The current path + fragment; re-renders on navigation. */
export function useLocationKey(): { pathname: string; hash: string } {
  useSyncExternalStore(subscribe, snapshot)
  return { pathname: window.location.pathname, hash: window.location.hash }
}
