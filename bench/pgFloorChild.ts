/**
 * The commit probe's own process (pgFloor.ts, openCommitProbe): argv URL and schema; answers the parent's requests
 * over IPC, one at a time.
 */
import { openCommitProbeHere, type ProbeReply, type ProbeRequest } from './pgFloor.ts'

function reply(message: ProbeReply): void {
  process.send?.(message)
}

async function main(): Promise<void> {
  const [url, schema] = process.argv.slice(2)
  if (url === undefined || schema === undefined) throw new Error('usage: pgFloorChild URL SCHEMA')
  const probe = await openCommitProbeHere(url, schema)
  let running: ReturnType<typeof probe.start> | null = null
  process.on('message', (request: ProbeRequest) => {
    const answer = async (): Promise<void> => {
      if (request.type === 'measure') reply({ type: 'stats', stats: await probe.measure(request.samples, request.hz) })
      else if (request.type === 'start') running = probe.start(request.hz)
      else if (request.type === 'stop') {
        if (running === null) throw new Error('stop without start')
        const stats = await running.stop()
        running = null
        reply({ type: 'stats', stats })
      } else {
        await probe.close()
        process.exit(0)
      }
    }
    answer().catch((error: unknown) => reply({ type: 'error', message: error instanceof Error ? error.message : String(error) }))
  })
  // an interrupted bench must not leave this process behind
  process.once('disconnect', () => process.exit(0))
  reply({ type: 'ready' })
}

main().catch((error: unknown) => {
  reply({ type: 'error', message: error instanceof Error ? error.message : String(error) })
  process.exit(1)
})
