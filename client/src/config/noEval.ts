import { z } from 'zod'

// The page's Content-Security-Policy has no 'unsafe-eval' (server/src/http/securityHeaders.ts). zod 4 probes
// `new Function('')` before its first object parse to choose its compiled fast path; the probe is caught, but
// Chromium still reports it as a CSP violation. jitless skips the probe (and the compiled path, which we cannot use
// anyway). Imported first by main.tsx, before any schema parses.
z.config({ jitless: true })
