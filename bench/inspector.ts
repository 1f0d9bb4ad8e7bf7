import WebSocket from 'ws'

export interface HeapReading {
  heapUsedKb: number
  externalKb: number
  rssKb: number
}

/**
 * Talks to a child started with --inspect on loopback: forces a full GC and reads process.memoryUsage(), so idle
 * room memory is measured as live objects rather than as RSS, which V8 neither grows nor shrinks per room.
 * It only reads; it never changes the server's state beyond collecting garbage.
 */
/** A short session with a child's inspector: `call` sends one DevTools protocol command and resolves with its result. */
async function withInspector<T>(inspectorUrl: string, use: (call: (method: string, params?: Record<string, unknown>) => Promise<unknown>) => Promise<T>): Promise<T> {
  const socket = new WebSocket(inspectorUrl)
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  let nextId = 1
  const call = (method: string, params: Record<string, unknown> = {}): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++
      const onMessage = (data: Buffer): void => {
        const message = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string } }
        if (message.id !== id) return
        socket.off('message', onMessage)
        if (message.error !== undefined) reject(new Error(`${method}: ${message.error.message}`))
        else resolve(message.result)
      }
      socket.on('message', onMessage)
      socket.send(JSON.stringify({ id, method, params }))
    })
  try {
    return await use(call)
  } finally {
    socket.close()
  }
}

/** Evaluates an expression in the child (awaiting a promise it returns) and gives back its JSON value. */
export async function evaluateInChild(inspectorUrl: string, expression: string): Promise<unknown> {
  return withInspector(inspectorUrl, async (call) => {
    const result = (await call('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true, includeCommandLineAPI: true })) as {
      result: { value?: unknown }
      exceptionDetails?: { text?: string; exception?: { description?: string } }
    }
    if (result.exceptionDetails !== undefined) {
      throw new Error(`evaluate failed: ${result.exceptionDetails.exception?.description ?? result.exceptionDetails.text ?? 'unknown'}`)
    }
    return result.result.value
  })
}

export async function readHeapAfterGc(inspectorUrl: string): Promise<HeapReading> {
  return withInspector(inspectorUrl, async (call) => {
    // Two collections: the first may only finalize objects that the second can then free.
    await call('HeapProfiler.collectGarbage')
    await call('HeapProfiler.collectGarbage')
    const result = (await call('Runtime.evaluate', {
      expression: 'JSON.stringify(process.memoryUsage())',
      returnByValue: true,
    })) as { result: { value: string } }
    const usage = JSON.parse(result.result.value) as { heapUsed: number; external: number; rss: number }
    return { heapUsedKb: usage.heapUsed / 1024, externalKb: usage.external / 1024, rssKb: usage.rss / 1024 }
  })
}
