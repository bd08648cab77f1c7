import type Docker from 'dockerode'
import { execCapture } from '../docker/exec.js'
import { followLogs } from '../docker/logs.js'
import type { Deadline } from '../wait/deadline.js'
import { pollUntilReady, probe, type ProbeOutcome } from '../wait/poll.js'
import { Wakeup } from '../wait/wakeup.js'

/** SQL Server logs this once sign-ins work; "ready for client connections" comes earlier and is not enough. */
export const SQL_RECOVERY_LINE = /Recovery is complete/
const SQL_LISTENING_LINE = /SQL Server is now ready for client connections/

// 2022 CU14+ and 2019-latest ship tools18, which needs -C for the self-signed certificate; older tags ship mssql-tools.
const SQLCMD_CANDIDATES: ReadonlyArray<{ path: string; args: string[] }> = [
  { path: '/opt/mssql-tools18/bin/sqlcmd', args: ['-C'] },
  { path: '/opt/mssql-tools/bin/sqlcmd', args: [] },
]

const MISSING_BINARY = /no such file or directory|not found|executable file/i

export interface SqlSignInOptions {
  container: Docker.Container
  saPassword: string
  deadline: Deadline
  signal: AbortSignal
  log: (line: string) => void
}

/**
 * Waits until `sa` can really sign in: the recovery line triggers a sqlcmd check inside the container at
 * once; the check also runs on a slow poll in case the line is never seen. When the image has no sqlcmd
 * (a tag without mssql-tools), the recovery line alone decides.
 */
export async function waitForSqlSignIn(opts: SqlSignInOptions): Promise<void> {
  const wakeup = new Wakeup()
  let recovered = false
  let candidates = [...SQLCMD_CANDIDATES]
  const stopFollowing = new AbortController()
  void followLogs(
    opts.container,
    (line) => {
      if (SQL_LISTENING_LINE.test(line)) opts.log('SQL Server listens for connections; waiting for recovery before signing in')
      if (SQL_RECOVERY_LINE.test(line)) {
        recovered = true
        wakeup.kick()
      }
    },
    AbortSignal.any([opts.signal, stopFollowing.signal]),
  )

  const check = async (signal: AbortSignal): Promise<ProbeOutcome<void>> => {
    while (candidates.length) {
      const tool = candidates[0] as (typeof SQLCMD_CANDIDATES)[number]
      const result = await execCapture(
        opts.container,
        [tool.path, ...tool.args, '-S', 'localhost', '-U', 'sa', '-b', '-l', '5', '-Q', 'SELECT 1'],
        { env: [`SQLCMDPASSWORD=${opts.saPassword}`], signal },
      )
      if (result.exitCode === 0) return { ready: true, value: undefined }
      if ((result.exitCode === 126 || result.exitCode === 127) || (MISSING_BINARY.test(result.output) && !/Sqlcmd:/.test(result.output))) {
        candidates = candidates.slice(1)
        continue
      }
      return { ready: false, detail: `sqlcmd: ${result.output.trim().split('\n').pop() ?? `exit ${result.exitCode}`}` }
    }
    return recovered
      ? { ready: true, value: undefined }
      : { ready: false, detail: 'no sqlcmd in the image; waiting for the "Recovery is complete" log line' }
  }

  try {
    await pollUntilReady(probe('SQL Server to accept sign-ins as sa', check), {
      deadline: opts.deadline,
      signal: opts.signal,
      intervalMs: () => (recovered ? 100 : 1000),
      wakeup,
    })
  } finally {
    stopFollowing.abort()
  }
}
