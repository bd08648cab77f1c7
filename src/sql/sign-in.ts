import type Docker from 'dockerode'
import { execCapture } from '../docker/exec.js'
import { followLogs } from '../docker/logs.js'
import type { Deadline } from '../wait/deadline.js'
import { pollUntilReady, probe, type ProbeOutcome } from '../wait/poll.js'

/** SQL Server logs this once sign-ins work; "ready for client connections" comes earlier and is not enough. */
export const SQL_RECOVERY_LINE = /Recovery is complete/
const SQL_LISTENING_LINE = /SQL Server is now ready for client connections/

// 2022 CU14+ and 2019-latest ship tools18, which needs -C for the self-signed certificate; older tags ship mssql-tools.
const SQLCMD_CANDIDATES: ReadonlyArray<{ path: string; args: string[] }> = [
  { path: '/opt/mssql-tools18/bin/sqlcmd', args: ['-C'] },
  { path: '/opt/mssql-tools/bin/sqlcmd', args: [] },
]

const MISSING_BINARY = /no such file or directory|not found|executable file/i
const SLOW_POLL_MS = 1000
const FAST_POLL_MS = 100

export interface SqlSignInOptions {
  container: Docker.Container
  saPassword: string
  deadline: Deadline
  signal: AbortSignal
  log: (line: string) => void
}

/**
 * Waits until `sa` can really sign in, proven by sqlcmd inside the container. A slow poll runs from the
 * start, in case the recovery line is never seen; the recovery line starts a fast poll at once, beside a
 * slow check that may still be under way. When the image has no sqlcmd (a tag without mssql-tools), the
 * recovery line alone decides.
 */
export async function waitForSqlSignIn(opts: SqlSignInOptions): Promise<void> {
  let recovered = false
  let onRecovery = () => {}
  const recovery = new Promise<void>((resolve) => (onRecovery = resolve))
  let candidates = [...SQLCMD_CANDIDATES]
  const stop = new AbortController()
  const signal = AbortSignal.any([opts.signal, stop.signal])
  void followLogs(
    opts.container,
    (line) => {
      if (SQL_LISTENING_LINE.test(line)) opts.log('SQL Server listens for connections; waiting for recovery before signing in')
      if (SQL_RECOVERY_LINE.test(line)) {
        recovered = true
        onRecovery()
      }
    },
    signal,
  )

  const check = async (checkSignal: AbortSignal): Promise<ProbeOutcome<void>> => {
    while (candidates.length) {
      const tool = candidates[0] as (typeof SQLCMD_CANDIDATES)[number]
      const result = await execCapture(
        opts.container,
        [tool.path, ...tool.args, '-S', 'localhost', '-U', 'sa', '-b', '-l', '5', '-Q', 'SELECT 1'],
        { env: [`SQLCMDPASSWORD=${opts.saPassword}`], signal: checkSignal },
      )
      if (result.exitCode === 0) return { ready: true, value: undefined }
      if (result.exitCode === 126 || result.exitCode === 127 || (MISSING_BINARY.test(result.output) && !/Sqlcmd:/.test(result.output))) {
        candidates = candidates.slice(1)
        continue
      }
      return { ready: false, detail: `sqlcmd: ${result.output.trim().split('\n').pop() ?? `exit ${result.exitCode}`}` }
    }
    return recovered
      ? { ready: true, value: undefined }
      : { ready: false, detail: 'no sqlcmd in the image; waiting for the "Recovery is complete" log line' }
  }
  const signIn = probe('SQL Server to accept sign-ins as sa', check)
  const poll = (intervalMs: number) => pollUntilReady(signIn, { deadline: opts.deadline, signal, intervalMs: () => intervalMs })

  const slow = poll(SLOW_POLL_MS)
  const fast = recovery.then(() => poll(FAST_POLL_MS))
  try {
    await Promise.race([slow, fast])
  } finally {
    stop.abort()
    onRecovery() // lets a fast poll that never began start, see the abort, and end
    // The loser ends as cancelled; that is expected and not an error.
    await Promise.allSettled([slow, fast])
  }
}
