// Entry of a bench child process: runs one join scenario (join.ts) and prints its result as JSON on the last line.
import { runJoin, type JoinOptions } from './join.ts'
import { setServerNodeArgs, type ServerKind } from './serverProcess.ts'

const [kind, options, nodeArgs] = process.argv.slice(2)
setServerNodeArgs(JSON.parse(nodeArgs ?? '[]') as string[])
runJoin(kind as ServerKind, JSON.parse(options ?? '{}') as JoinOptions).then(
  (result) => {
    process.stdout.write(`\n${JSON.stringify(result)}\n`)
    process.exit(0)
  },
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  },
)
