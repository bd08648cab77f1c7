import type Docker from 'dockerode'
import { contractOf, checkEngineCanRun, factsOf, type ImageContract } from '../contract.js'
import { maskSecret } from '../context.js'
import { LABELS } from '../docker/labels.js'
import { provideImage, type ProvideOptions } from '../images.js'
import { prefixed } from '../log.js'
import { octopusEnv } from '../octopus-env.js'
import type { ServerOutputs } from '../outputs.js'
import type { RunContext } from '../run-context.js'
import type { Deadline } from '../wait/deadline.js'
import { startOctopus } from './launch.js'
import { octopusContainerOptions, type OctopusMount } from './octopus-container.js'

/** Everything that differs between a fresh instance and an upgraded one. */
export interface OctopusPlan {
  name: string
  contract: ImageContract
  network: string
  connectionString: string
  masterKey: string
  admin: { username: string; password: string; email: string }
  licenseBase64?: string
  hostPort: number
  pollingPort?: number
  mounts: OctopusMount[]
  /** Empty with an external database. */
  sqlContainerName: string
}

export interface OctopusImage {
  contract: ImageContract
  presentAt: number
}

/** Pulls the Octopus image and reads its contract (port, paths) from it. */
export async function provideOctopusImage(run: RunContext, opts: Pick<ProvideOptions, 'signal' | 'onFound'> = {}): Promise<OctopusImage> {
  const { settings } = run
  const image = await provideImage(run, settings.octopusImage, 'Octopus', opts)
  const presentAt = performance.now()
  checkEngineCanRun(settings.octopusImage, image.info.Os, run.engine.os)
  const contract = contractOf(settings.octopusImage, factsOf(image.info))
  prefixed('[octopus]')(
    `${contract.generation === 'current' ? 'Current' : 'Legacy 2018'} image contract: HTTP on ${contract.httpPort}, ${contract.os} paths (${contract.reason})`,
  )
  return { contract, presentAt }
}

export async function createOctopusContainer(run: RunContext, plan: OctopusPlan): Promise<Docker.Container> {
  const { settings } = run
  const env = octopusEnv(
    {
      connectionString: plan.connectionString,
      masterKey: plan.masterKey,
      admin: plan.admin,
      ...(plan.licenseBase64 && { licenseBase64: plan.licenseBase64 }),
      nodeName: plan.name,
      dockerInDocker: settings.dockerInDocker,
      extraEnv: settings.extraEnv,
    },
    plan.contract,
  )
  const container = await run.docker.createContainer(
    octopusContainerOptions({
      runId: settings.runId,
      name: plan.name,
      image: settings.octopusImage,
      contract: plan.contract,
      env,
      network: plan.network,
      hostPort: plan.hostPort,
      ...(plan.pollingPort && { pollingPort: plan.pollingPort }),
      dockerInDocker: settings.dockerInDocker,
      mounts: plan.mounts,
      labels: { [LABELS.network]: plan.network, ...(plan.sqlContainerName && { [LABELS.sqlContainer]: plan.sqlContainerName }) },
    }),
  )
  run.tracker.add('containers', container.id)
  run.watched.push({ name: plan.name, container })
  prefixed('[octopus]')(`${plan.name} created`)
  return container
}

/** Starts the container, waits until it is ready for use, and describes it as the step's outputs. */
export async function serveOctopus(
  run: RunContext,
  plan: OctopusPlan,
  container: Docker.Container,
  deadline: Deadline,
  extra: { timing: string; previousVersion?: string },
): Promise<ServerOutputs> {
  const start = performance.now()
  const launched = await startOctopus({
    docker: run.docker,
    container,
    name: plan.name,
    contract: plan.contract,
    admin: plan.admin,
    deadline,
    signal: run.signal,
    log: prefixed('[octopus]'),
    onLogLine: prefixed(`${plan.name} |`),
    onApiKey: maskSecret,
  })
  run.timings.push([extra.timing, performance.now() - start])
  return {
    url: launched.url,
    internalUrl: `http://${plan.name}:${plan.contract.httpPort}`,
    hostPort: launched.hostPort,
    adminUsername: plan.admin.username,
    adminPassword: plan.admin.password,
    apiKey: launched.ready.apiKey,
    masterKey: plan.masterKey,
    serverVersion: launched.ready.version,
    containerId: container.id,
    containerName: plan.name,
    network: plan.network,
    sqlContainerName: plan.sqlContainerName,
    sqlConnectionString: plan.connectionString,
    ...(extra.previousVersion !== undefined && { previousVersion: extra.previousVersion }),
  }
}
