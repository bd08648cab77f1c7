import type Docker from 'dockerode'
import { followLogs } from '../docker/logs.js'
import type { Deadline } from '../wait/deadline.js'
import { FinalAnswerError, pollUntilReady, probe, type ProbeOutcome } from '../wait/poll.js'
import { Wakeup } from '../wait/wakeup.js'
import { ApiError, createApiKey, getApiRoot, signIn, whoAmI, type Session } from './api.js'

/** The lines Octopus's own harnesses wait for; /api may still answer 503 for a while after them. */
export const OCTOPUS_READY_LINE = /Listening for HTTP requests on|Web server is ready to process requests/

export interface OctopusReadyOptions {
  container: Docker.Container
  baseUrl: string
  admin: { username: string; password: string }
  apiKeyPurpose: string
  deadline: Deadline
  signal: AbortSignal
  log: (line: string) => void
  /** Each line of the container's log as it is written. */
  onLogLine?: (line: string) => void
  /** Called with the API key the moment it exists, so it can be masked before anything else sees it. */
  onApiKey: (key: string) => void
  /** Called as each stage begins, so a timeout can say which check was stuck. */
  onStage: (stage: string) => void
}

export interface OctopusReady {
  version: string
  apiKey: string
  userId: string
}

const FAST_POLL_MS = 100
const SLOW_POLL_MS = 1000

/** 5xx and network errors are the server still starting; a 4xx on sign-in is an answer that will not change. */
function transient(e: unknown): boolean {
  return !(e instanceof ApiError) || e.status === undefined || e.status >= 500
}

function failure(e: unknown): ProbeOutcome<never> {
  const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : ''
  return { ready: false, detail: `${e instanceof Error ? e.message : String(e)}${cause}` }
}

/**
 * Ready means: GET /api answers 200 with a Version, the admin signs in, and a new API key works. The
 * ready log line kicks the HTTP check at once; until it shows, the check runs on a slow poll.
 */
export async function waitForOctopus(opts: OctopusReadyOptions): Promise<OctopusReady> {
  const wakeup = new Wakeup()
  let sawReadyLine = false
  const stopFollowing = new AbortController()
  void followLogs(
    opts.container,
    (line) => {
      opts.onLogLine?.(line)
      if (OCTOPUS_READY_LINE.test(line)) {
        sawReadyLine = true
        wakeup.kick()
      }
    },
    AbortSignal.any([opts.signal, stopFollowing.signal]),
  )
  const poll = { deadline: opts.deadline, signal: opts.signal, wakeup, intervalMs: () => (sawReadyLine ? FAST_POLL_MS : SLOW_POLL_MS) }

  try {
    opts.onStage('GET /api to answer 200 with a Version')
    const root = await pollUntilReady(
      probe('GET /api to answer 200 with a Version', async (signal) => {
        try {
          return { ready: true, value: await getApiRoot(opts.baseUrl, signal) }
        } catch (e) {
          return failure(e)
        }
      }),
      poll,
    )
    opts.log(`GET /api answered: ${root.Application ?? 'Octopus'} ${root.Version}`)

    opts.onStage(`the admin ${opts.admin.username} to sign in`)
    const session = await pollUntilReady<Session>(
      probe(`the admin ${opts.admin.username} to sign in`, async (signal) => {
        try {
          return { ready: true, value: await signIn(opts.baseUrl, opts.admin.username, opts.admin.password, signal) }
        } catch (e) {
          if (!transient(e)) throw new FinalAnswerError(`The admin could not sign in: ${(e as Error).message}`)
          return failure(e)
        }
      }),
      poll,
    )

    opts.onStage('an API key to be created and accepted')
    const apiKey = await pollUntilReady(
      probe('an API key to be created and accepted', async (signal) => {
        try {
          const key = await createApiKey(opts.baseUrl, session, opts.apiKeyPurpose, signal)
          opts.onApiKey(key)
          await whoAmI(opts.baseUrl, key, signal)
          return { ready: true, value: key }
        } catch (e) {
          if (!transient(e)) throw new FinalAnswerError(`Creating an API key for the admin failed: ${(e as Error).message}`)
          return failure(e)
        }
      }),
      poll,
    )
    return { version: root.Version, apiKey, userId: session.userId }
  } finally {
    stopFollowing.abort()
  }
}
