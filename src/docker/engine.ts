import Docker from 'dockerode'
import { startTimeout } from '../wait/timeout-signal.js'

export interface EngineInfo {
  os: string
  version: string
  apiVersion: string
}

export class EngineUnreachableError extends Error {}

/** Where dockerode will look for the engine, as a user would write it. */
export function engineAddress(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_HOST ? `${env.DOCKER_HOST} (from DOCKER_HOST)` : 'unix:///var/run/docker.sock (DOCKER_HOST is not set)'
}

/**
 * An ssh:// engine runs on another machine, where the published port is not this runner's localhost (and
 * the SSH client is left out of the bundle): refused before any connection is tried.
 */
export function checkDockerHost(env: NodeJS.ProcessEnv = process.env): void {
  if (/^ssh:/i.test(env.DOCKER_HOST ?? '')) {
    throw new EngineUnreachableError(
      `DOCKER_HOST is ${env.DOCKER_HOST}, an engine reached over SSH, which this action does not use: it publishes Octopus on the ` +
        `runner's localhost, so the engine must run on the runner. Unset DOCKER_HOST, or point it at the local engine (unix:// or tcp://localhost).`,
    )
  }
}

/** The engine named by DOCKER_HOST, or the local socket. */
export function connectEngine(): Docker {
  checkDockerHost()
  try {
    return new Docker()
  } catch (e) {
    // docker-modem's own words ("should be something like tcp://localhost:1234") do not say what was wrong.
    throw new EngineUnreachableError(
      `DOCKER_HOST is "${process.env.DOCKER_HOST}", which is not an engine address (${e instanceof Error ? e.message : String(e)}): ` +
        'use unix:///var/run/docker.sock, tcp://localhost:2375, or unset DOCKER_HOST.',
    )
  }
}

/** Pings the engine first, so an absent engine is one clear message rather than a failure deep inside a pull. */
export async function checkEngine(docker: Docker, signal?: AbortSignal): Promise<EngineInfo> {
  const timeout = startTimeout(15_000)
  try {
    const abortSignal = AbortSignal.any([timeout.signal, ...(signal ? [signal] : [])])
    // dockerode's version() takes { abortSignal } although its type declarations omit the argument.
    const version = docker.version.bind(docker) as unknown as (o: { abortSignal: AbortSignal }) => Promise<Docker.DockerVersion>
    const v = await version({ abortSignal })
    return { os: v.Os, version: v.Version, apiVersion: v.ApiVersion }
  } catch (e) {
    const why = timeout.signal.aborted ? 'no answer within 15 s' : e instanceof Error ? e.message : String(e)
    throw new EngineUnreachableError(
      `No Docker engine answered at ${engineAddress()}: ${why}. Start Docker on the runner, or point DOCKER_HOST at a running engine.`,
    )
  } finally {
    timeout.clear()
  }
}
