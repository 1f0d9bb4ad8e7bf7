import { Worker } from 'node:worker_threads'

/**
 * A worker thread that runs a TypeScript module of ours: the compiled `<name>.js` beside the caller in a built server,
 * the `<name>.ts` source under tsx or vitest (workerBoot.mjs registers tsx first: Node 20 does not apply a parent's
 * `--import tsx` to a worker). `callerUrl` is the caller's import.meta.url; `data` reaches the module as workerData.
 */
export function startModuleWorker(callerUrl: string, name: string, data: Record<string, unknown> = {}): Worker {
  const typescript = callerUrl.endsWith('.ts')
  const module = new URL(`./${name}${typescript ? '.ts' : '.js'}`, callerUrl).href
  return new Worker(new URL('./workerBoot.mjs', import.meta.url), {
    // not the parent's flags (--cpu-prof, --inspect): the boot script registers tsx itself when it is needed
    execArgv: [],
    workerData: { ...data, module, typescript },
  })
}
