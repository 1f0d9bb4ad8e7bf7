import { writeFileSync } from 'node:fs'
import { describeMachine } from './machine.ts'
import { Report } from './report.ts'
import { setServerNodeArgs } from './serverProcess.ts'
import { runServerSuite } from './serverSuite.ts'

const USAGE = `npm run bench -- [server|pg|browser|phone|versions|reports|votes|loop|process|cluster|relay|join|cold|idle|many|soak]... [--quick] [--long] [--out FILE] [--cpu-prof DIR]
  no suite: everything. --quick: small loads to check the harness, numbers not meaningful.
  pg: the relay on SQLite vs PostgreSQL (TAVOLO_BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test;
      a schema of its own per server, dropped after) with PostgreSQL's commit floor.
  cluster: 1 instance vs 2 behind nginx on PostgreSQL (each bus) at the many-boards load, and the failover time.
  --long: the 30-minute soak instead of the 2-minute one.
  --cpu-prof DIR: every server process writes a V8 CPU profile into DIR when it exits.`

const SERVER_PARTS = new Set(['relay', 'join', 'cold', 'idle', 'many', 'soak'])

async function main(argv: string[]): Promise<void> {
  let quick = false
  let long = false
  let out: string | undefined
  const names: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    if (arg === '--quick') quick = true
    else if (arg === '--long') long = true
    else if (arg === '--out') out = argv[++i]
    else if (arg === '--cpu-prof') setServerNodeArgs(['--cpu-prof', `--cpu-prof-dir=${argv[++i] ?? 'bench-profiles'}`])
    else if (arg === 'server' || arg === 'pg' || arg === 'browser' || arg === 'phone' || arg === 'versions' || arg === 'reports' || arg === 'votes' || arg === 'loop' || arg === 'process' || arg === 'cluster' || SERVER_PARTS.has(arg)) names.push(arg)
    else {
      console.error(USAGE)
      process.exit(2)
    }
  }
  const all = names.length === 0
  const serverParts = new Set(names.filter((n) => SERVER_PARTS.has(n)))
  const report = new Report()
  const machine = describeMachine()
  console.log(machine)

  if (all || names.includes('server') || serverParts.size > 0) {
    await runServerSuite(report, { quick, long, only: names.includes('server') ? new Set() : serverParts })
  }
  if (all || names.includes('pg')) {
    const { pgSuite } = await import('./pgSuite.ts')
    await pgSuite(report, quick)
  }
  if (all || names.includes('versions')) {
    const { runVersionsBench } = await import('./versions.ts')
    await runVersionsBench(report, { quick })
  }
  if (all || names.includes('reports')) {
    const { runReportsBench } = await import('./reports.ts')
    await runReportsBench(report, { quick })
  }
  if (all || names.includes('votes')) {
    const { runVotesBench } = await import('./votes.ts')
    await runVotesBench(report, { quick })
  }
  if (all || names.includes('process')) {
    const { runProcessBench } = await import('./process.ts')
    await runProcessBench(report, { quick })
  }
  if (all || names.includes('cluster')) {
    const { clusterSuite } = await import('./cluster.ts')
    await clusterSuite(report, quick)
  }
  if (all || names.includes('loop')) {
    const { runEventLoopBench } = await import('./eventLoop.ts')
    await runEventLoopBench(report, { quick })
  }
  if (all || names.includes('browser') || names.includes('phone')) {
    const { runBrowserSuite } = await import('./browserSuite.ts')
    await runBrowserSuite(report, { quick, phoneOnly: !all && !names.includes('browser') })
  }

  const markdown = report.toMarkdown(`## Run${quick ? ' (--quick: not meaningful)' : ''}\n\n${machine}\n`)
  if (out !== undefined) writeFileSync(out, markdown)
  console.log(`\n${markdown}`)
}

main(process.argv.slice(2)).then(
  // y-websocket timers and imported libraries can keep the loop alive; the run is over.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  },
)
