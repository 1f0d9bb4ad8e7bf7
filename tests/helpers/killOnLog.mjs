// Test-only preload (`node --import ./tests/helpers/killOnLog.mjs server/src/main.ts`): the process SIGKILLs itself
// the moment it writes a log line containing TAVOLO_TEST_KILL_ON_LOG, so a crash test can die at an exact step (for
// versions: right after a restore's write became durable, before its `restored` version). Nothing of this exists in
// production code. The logger writes through fs (pino's sonic-boom), so both of its calls are watched.
import fs from 'node:fs'

const marker = process.env.TAVOLO_TEST_KILL_ON_LOG
if (marker) {
  const killIfMarked = (data) => {
    if (String(data).includes(marker)) process.kill(process.pid, 'SIGKILL')
  }
  const { write, writeSync } = fs
  fs.writeSync = function (fd, data, ...rest) {
    killIfMarked(data)
    return writeSync.call(this, fd, data, ...rest)
  }
  fs.write = function (fd, data, ...rest) {
    killIfMarked(data)
    return write.call(this, fd, data, ...rest)
  }
}
