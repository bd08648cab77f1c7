import Docker from 'dockerode'

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

export function connectEngine(): Docker {
  return new Docker()
}

/** Pings the engine first, so an absent engine is one clear message rather than a failure deep inside a pull. */
export async function checkEngine(docker: Docker, signal?: AbortSignal): Promise<EngineInfo> {
  try {
    const abortSignal = AbortSignal.any([AbortSignal.timeout(15_000), ...(signal ? [signal] : [])])
    // dockerode's version() takes { abortSignal } although its type declarations omit the argument.
    const version = docker.version.bind(docker) as unknown as (o: { abortSignal: AbortSignal }) => Promise<Docker.DockerVersion>
    const v = await version({ abortSignal })
    return { os: v.Os, version: v.Version, apiVersion: v.ApiVersion }
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e)
    throw new EngineUnreachableError(
      `No Docker engine answered at ${engineAddress()}: ${why}. Start Docker on the runner, or point DOCKER_HOST at a running engine.`,
    )
  }
}
