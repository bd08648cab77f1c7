import type Docker from 'dockerode'
import { sqlContainerConnectionString } from './connection-string.js'
import { maskSecret } from './context.js'
import { isNotFound } from './docker/errors.js'
import { labelsFor } from './docker/labels.js'
import { resolveHostFolder } from './host-folders.js'
import { provideImage } from './images.js'
import type { MountName } from './inputs.js'
import { chooseInstanceName } from './instance.js'
import { prefixed } from './log.js'
import type { OctopusMount } from './octopus/octopus-container.js'
import { createOctopusContainer, provideOctopusImage, serveOctopus, type OctopusPlan } from './octopus/serve.js'
import type { ServerOutputs } from './outputs.js'
import type { RunContext } from './run-context.js'
import { networkNameFor, SQL_PORT, sqlContainerName } from './settings.js'
import { waitForSqlSignIn } from './sql/sign-in.js'
import { sqlContainerOptions } from './sql/sql-container.js'
import { whileRunning } from './wait/container-exit.js'
import { Deadline, systemClock } from './wait/deadline.js'

/** Volumes made for the image paths the user did not map to host folders; they carry over to upgrades. */
const VOLUME_ROLES: readonly MountName[] = ['repository', 'artifacts', 'taskLogs']

async function useOrCreateNetwork(run: RunContext, name: string): Promise<string> {
  const { docker, settings } = run
  if (settings.network) {
    try {
      const info = await docker.getNetwork(settings.network).inspect()
      return info.Name as string
    } catch (e) {
      if (isNotFound(e)) {
        throw new Error(`network "${settings.network}" does not exist: create it in an earlier step, or leave network empty for a new one`)
      }
      throw e
    }
  }
  const networkName = networkNameFor(name)
  const network = await docker.createNetwork({ Name: networkName, CheckDuplicate: true, Labels: labelsFor(settings.runId, 'network', name) })
  run.tracker.add('networks', network.id)
  return networkName
}

/** Runs two branches at once; when one fails, the other is told to stop, and the first real failure wins. */
async function both<A, B>(signal: AbortSignal, a: (s: AbortSignal) => Promise<A>, b: (s: AbortSignal) => Promise<B>): Promise<[A, B]> {
  const stop = new AbortController()
  const branchSignal = AbortSignal.any([signal, stop.signal])
  const failFast = <T>(p: Promise<T>) =>
    p.catch((e: unknown) => {
      stop.abort(e)
      throw e
    })
  const [ra, rb] = await Promise.allSettled([failFast(a(branchSignal)), failFast(b(branchSignal))])
  if (ra.status === 'fulfilled' && rb.status === 'fulfilled') return [ra.value, rb.value]
  // The branch that failed first is the cause; the other one only reports that it was stopped.
  if (stop.signal.aborted) throw stop.signal.reason
  throw [ra, rb].find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason
}

/** Returns when the SQL image was present (0 with an external database). */
async function startSql(run: RunContext, name: string, network: string, signal: AbortSignal): Promise<number> {
  const { docker, settings } = run
  if (settings.database.kind !== 'container' || !settings.saPassword) return 0
  const log = prefixed('[sql]')
  await provideImage(run, settings.database.image, 'SQL Server', signal)
  const start = performance.now()
  const sqlName = sqlContainerName(name)
  const container = await docker.createContainer(
    sqlContainerOptions({ runId: settings.runId, instance: name, name: sqlName, image: settings.database.image, saPassword: settings.saPassword, network }),
  )
  run.tracker.add('containers', container.id)
  run.watched.push({ name: sqlName, container })
  await container.start()
  log(`${sqlName} started; waiting until sa can sign in`)
  const deadline = new Deadline(settings.timeoutSeconds * 1000)
  await whileRunning(container, sqlName, () => 'SQL Server to accept sign-ins', signal, (s) =>
    waitForSqlSignIn({ container, saPassword: settings.saPassword as string, deadline, signal: s, log }),
  )
  run.timings.push(['SQL Server accepting sign-ins', performance.now() - start])
  log('SQL Server accepts sign-ins')
  return start
}

interface CreatedOctopus {
  container: Docker.Container
  plan: OctopusPlan
  imagePresentAt: number
}

async function mountsFor(run: RunContext, name: string): Promise<OctopusMount[]> {
  const { docker, settings } = run
  const mounts: OctopusMount[] = []
  for (const [role, folder] of Object.entries(settings.mounts) as Array<[MountName, string]>) {
    mounts.push({ type: 'bind', source: resolveHostFolder(folder), role })
  }
  await Promise.all(
    VOLUME_ROLES.filter((role) => !settings.mounts[role]).map(async (role) => {
      const volumeName = `${name}-${role.toLowerCase()}`
      await docker.createVolume({ Name: volumeName, Labels: labelsFor(settings.runId, 'volume', name) })
      run.tracker.add('volumes', volumeName)
      mounts.push({ type: 'volume', source: volumeName, role })
    }),
  )
  return mounts
}

async function createOctopus(
  run: RunContext,
  base: Omit<OctopusPlan, 'contract' | 'mounts'>,
  signal: AbortSignal,
): Promise<CreatedOctopus> {
  const image = await provideOctopusImage(run, signal)
  const plan: OctopusPlan = { ...base, contract: image.contract, mounts: await mountsFor(run, base.name) }
  return { container: await createOctopusContainer(run, plan), plan, imagePresentAt: image.presentAt }
}

/** A new instance: network, SQL Server (unless external) and Octopus, as much at once as the order allows. */
export async function startFresh(run: RunContext): Promise<ServerOutputs> {
  const { docker, settings } = run
  const name = await chooseInstanceName(docker, settings)
  const network = await useOrCreateNetwork(run, name)
  const sqlName = settings.database.kind === 'container' ? sqlContainerName(name) : ''
  const connectionString =
    settings.database.kind === 'external'
      ? settings.database.connectionString
      : sqlContainerConnectionString({ host: sqlName, port: SQL_PORT, database: settings.database.name, password: settings.saPassword as string })
  maskSecret(connectionString)

  const { settings: { admin, masterKey, licenseBase64, hostPort, pollingPort } } = run
  const base = {
    name,
    network,
    connectionString,
    masterKey,
    admin,
    ...(licenseBase64 && { licenseBase64 }),
    hostPort,
    ...(pollingPort && { pollingPort }),
    sqlContainerName: sqlName,
  }

  // SQL starts while the Octopus image still pulls; Octopus is created meanwhile and started once SQL takes sign-ins.
  // `timeout` counts from the moment the last image is present, for SQL and Octopus together.
  const [sqlImageAt, octopus] = await both(
    run.signal,
    (s) => startSql(run, name, network, s),
    (s) => createOctopus(run, base, s),
  )
  const imagesPresentAt = Math.max(sqlImageAt, octopus.imagePresentAt)
  const deadline = new Deadline(settings.timeoutSeconds * 1000, systemClock, imagesPresentAt)
  return serveOctopus(run, octopus.plan, octopus.container, deadline, { timing: 'Octopus Server ready' })
}
