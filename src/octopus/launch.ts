import type Docker from 'dockerode'
import type { ImageContract } from '../contract.js'
import { clashingPort, engineMessage, portInUse } from '../docker/errors.js'
import { tailLogs } from '../docker/logs.js'
import { ContainerExitedError, whileRunning } from '../wait/container-exit.js'
import type { Deadline } from '../wait/deadline.js'
import { PortTakenError, portHolder } from '../host-ports.js'
import { boundHostPort } from './octopus-container.js'
import { waitForOctopus, type OctopusReady } from './readiness.js'

export interface LaunchOptions {
  docker: Docker
  container: Docker.Container
  name: string
  contract: ImageContract
  admin: { username: string; password: string }
  deadline: Deadline
  signal: AbortSignal
  log: (line: string) => void
  onLogLine?: (line: string) => void
  onApiKey: (key: string) => void
}

export interface Launched {
  hostPort: number
  url: string
  ready: OctopusReady
}

async function start(docker: Docker, container: Docker.Container): Promise<void> {
  try {
    await container.start()
  } catch (e) {
    if (!portInUse(e)) throw e
    const message = engineMessage(e)
    const port = clashingPort(message) ?? '?'
    throw new PortTakenError(
      `Host port ${port} is already in use${await portHolder(docker, port)} (${message}). ` +
        'Choose another host-port/polling-port, or host-port: 0 for a free one.',
    )
  }
}

/** Starts the created Octopus container and waits, with one deadline, until it is ready for use. */
export async function startOctopus(opts: LaunchOptions): Promise<Launched> {
  await start(opts.docker, opts.container)
  const info = await opts.container.inspect()
  // A container that stops at once (EULA, licence) has no ports left to read: say that it stopped, and why.
  if (!info.State.Running) {
    throw new ContainerExitedError(opts.name, info.State.ExitCode, await tailLogs(opts.container), 'the container to start')
  }
  const hostPort = boundHostPort(info, opts.contract.httpPort)
  if (!hostPort) throw new Error(`The engine published no host port for ${opts.contract.httpPort}/tcp of ${opts.name}`)
  const url = `http://localhost:${hostPort}`
  opts.log(`${opts.name} started; port ${opts.contract.httpPort} is published on ${url}`)
  let stage = 'the container to start'
  const ready = await whileRunning(opts.container, opts.name, () => stage, opts.signal, (signal) =>
    waitForOctopus({
      container: opts.container,
      baseUrl: url,
      admin: opts.admin,
      apiKeyPurpose: 'octopus-server-action',
      deadline: opts.deadline,
      signal,
      log: opts.log,
      ...(opts.onLogLine && { onLogLine: opts.onLogLine }),
      onApiKey: opts.onApiKey,
      onStage: (s) => {
        stage = s
      },
    }),
  )
  return { hostPort, url, ready }
}
