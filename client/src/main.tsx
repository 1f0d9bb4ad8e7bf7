// First: zod must not probe eval under the page's CSP (see the module).
import './config/noEval.ts'
import { startBootRequests } from './app/bootRequests.ts'

// The board's requests and socket start now, while the browser downloads and evaluates the app (board SPEC S8).
startBootRequests(window.location)
import('./app/mountApp.tsx').catch((error: unknown) => console.error('[tavolo] the app could not load', error))
