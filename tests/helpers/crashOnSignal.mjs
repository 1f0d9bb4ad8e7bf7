// Test-only preload (`node --import ./tests/helpers/crashOnSignal.mjs server/src/main.ts`): on SIGUSR2 the server
// hits a programming error outside any handler, as a bug would. TAVOLO_TEST_CRASH chooses the kind:
// `throw` (an uncaught exception, the default) or `reject` (an unhandled promise rejection).
// Nothing of this exists in production code: the entry point's own handlers must deal with it.
process.on('SIGUSR2', () => {
  setImmediate(() => {
    if (process.env.TAVOLO_TEST_CRASH === 'reject') {
      void Promise.reject(new Error('injected unhandled rejection'))
      return
    }
    throw new Error('injected uncaught exception')
  })
})
