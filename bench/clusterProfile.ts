/**
 * The many-boards load (light readers, bench/lightReader.ts) on one PostgreSQL instance and on two behind nginx, each
 * server under V8's CPU profiler: where the second instance's CPU goes (bench/README, "Several instances"). Not part
 * of `npm run bench`.
 *
 *   node --import tsx bench/clusterProfile.ts OUTDIR [durationS] [instances, e.g. 1,2]
 *
 * Writes OUTDIR/<instances>/CPU.*.cpuprofile per server process (the main thread and the worker threads); open them in
 * DevTools' Performance panel. The profiler samples wall time: on a machine whose cores the clients, nginx and
 * PostgreSQL share, time inside a syscall (writev) includes waiting for a core.
 */
import { join } from 'node:path'
import { startCluster } from './cluster.ts'
import { runManyBoards } from './manyBoards.ts'
import { setServerNodeArgs } from './serverProcess.ts'

const [outDir = 'cluster-profiles', duration = '30', counts = '1,2'] = process.argv.slice(2)
const options = { boards: 20, clientsPerBoard: 30, notesPerBoard: 300, presenceHz: 5, writeHz: 2, durationS: Number(duration), processes: 3, readers: 'light' as const }
for (const count of counts.split(',').map(Number)) {
  setServerNodeArgs(['--cpu-prof', `--cpu-prof-dir=${join(outDir, String(count))}`])
  const result = await runManyBoards('ours', options, async () => (await startCluster(count, 'postgresql')).handle)
  console.log(
    `${count} instance(s): CPU ${(100 * result.serverCpuShare).toFixed(0)}% of a core, ${result.overall.received}/${result.overall.expected} received, p99 ${result.overall.p99Ms.toFixed(1)} ms`,
  )
}
