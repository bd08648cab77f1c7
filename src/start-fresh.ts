import type Docker from 'dockerode'
import { sqlContainerConnectionString } from './connection-string.js'
import { maskSecret } from './context.js'
import { isNotFound } from './docker/errors.js'
import { moveToNetwork } from './docker/move-network.js'
import { labelsFor } from './docker/labels.js'
import { checkHostPortsFree } from './host-ports.js'
import type { ImagePresent } from './docker/pull.js'
import { provideImage } from './images.js'
import type { MountName } from './inputs.js'
import { chooseInstanceName } from './instance.js'
import { prefixed } from './log.js'
import type { OctopusMount } from './octopus/octopus-container.js'
import { createOctopusContainer, provideOctopusImage, serveOctopus, type OctopusImage, type OctopusPlan } from './octopus/serve.js'
import type { ServerOutputs } from './outputs.js'
import type { RunContext } from './run-context.js'
import { networkNameFor, SQL_PORT, sqlContainerName, volumesFor } from './settings.js'
import { waitForSqlSignIn } from './sql/sign-in.js'
import { sqlContainerOptions } from './sql/sql-container.js'
import { TaskGroup } from './task-group.js'
import { whileRunning } from './wait/container-exit.js'
import { Deadline, systemClock } from './wait/deadline.js'

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

interface StartedSql {
  container: Docker.Container
  name: string
  /** When the image was present; `timeout` for SQL counts from here. */
  imagePresentAt: number
}

/**
 * Creates and starts SQL Server once its image is present and the Octopus image is known to exist. On a
 * network the run makes itself, SQL starts on the engine's default network and moves over while it boots:
 * making the network takes ~0.1 s and a start on a new network is slower than on the default one, and
 * both would sit on the path to ready.
 */
async function startSql(
  run: RunContext,
  image: Promise<ImagePresent>,
  octopusKnown: Promise<void>,
  name: string,
  network: Promise<string>,
  signal: AbortSignal,
): Promise<StartedSql> {
  const { docker, settings } = run
  const { ref } = await image
  const imagePresentAt = performance.now()
  await octopusKnown
  const sqlName = sqlContainerName(name)
  const createOn = settings.network ? await network : undefined
  signal.throwIfAborted()
  const container = await docker.createContainer(
    sqlContainerOptions({ runId: settings.runId, instance: name, name: sqlName, image: ref, saPassword: settings.saPassword as string, network: createOn }),
  )
  run.tracker.add('containers', container.id)
  run.watched.push({ name: sqlName, container })
  await container.start()
  prefixed('[sql]')(`${sqlName} started; waiting until sa can sign in`)
  return { container, name: sqlName, imagePresentAt }
}

/** Waits until sa can sign in to the started SQL Server, while it joins the run's network if it must. */
async function sqlSignsIn(run: RunContext, sql: StartedSql, network: Promise<string>, signal: AbortSignal): Promise<void> {
  const { docker, settings } = run
  const log = prefixed('[sql]')
  const { container, name } = sql
  const joined = settings.network ? Promise.resolve() : network.then((joinTo) => moveToNetwork(docker, container, joinTo, name))
  const deadline = new Deadline(settings.timeoutSeconds * 1000)
  await Promise.all([
    joined,
    whileRunning(container, name, () => 'SQL Server to accept sign-ins', signal, (s) =>
      waitForSqlSignIn({ container, saPassword: settings.saPassword as string, deadline, signal: s, log }),
    ),
  ])
  run.timings.push(['SQL Server accepting sign-ins', performance.now() - sql.imagePresentAt])
  log('SQL Server accepts sign-ins')
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
    mounts.push({ type: 'bind', source: folder, role })
  }
  await Promise.all(
    volumesFor(settings, name).map(async ({ role, volume }) => {
      // The engine hands back a volume of that name if there is one: chooseInstanceName made sure there is none.
      await docker.createVolume({ Name: volume, Labels: labelsFor(settings.runId, 'volume', name) })
      run.tracker.add('volumes', volume)
      mounts.push({ type: 'volume', source: volume, role })
    }),
  )
  return mounts
}

async function createOctopus(
  run: RunContext,
  image: Promise<OctopusImage>,
  base: Omit<OctopusPlan, 'contract' | 'mounts'>,
  signal: AbortSignal,
): Promise<CreatedOctopus> {
  const { contract, presentAt } = await image
  // A cancel or a failure elsewhere that came while the image was pulled: make nothing more.
  signal.throwIfAborted()
  const plan: OctopusPlan = { ...base, contract, mounts: await mountsFor(run, base.name) }
  return { container: await createOctopusContainer(run, plan), plan, imagePresentAt: presentAt }
}

/**
 * A new instance: network, SQL Server (unless external) and Octopus, as much at once as the order allows.
 * Both images are fetched from the first moment; SQL starts as soon as its image is there, while the
 * Octopus image may still be pulling; Octopus is created once SQL has started and started once SQL takes
 * sign-ins. The first failure stops the rest, and nothing is left running when the error is thrown.
 */
export async function startFresh(run: RunContext): Promise<ServerOutputs> {
  const { docker, settings } = run
  await checkHostPortsFree(docker, [
    { input: 'host-port', port: settings.hostPort },
    { input: 'polling-port', port: settings.pollingPort },
  ])
  const group = new TaskGroup(run.signal)
  try {
    const database = settings.database
    let octopusFound = () => {}
    const found = new Promise<void>((resolve) => (octopusFound = resolve))
    const octopusImage = group.spawn((s) => provideOctopusImage(run, { signal: s, onFound: octopusFound }))
    const sqlImage = database.kind === 'container' ? group.spawn((s) => provideImage(run, database.image, 'SQL Server', { signal: s })) : undefined
    // SQL waits until the Octopus image is known to exist (present, or its pull taken by the registry), so a
    // missing tag or refused credentials fail before any container starts; that takes milliseconds.
    const octopusKnown = Promise.race([found, octopusImage.then(() => undefined)])
    octopusKnown.catch(() => undefined) // the group reports the failure; this copy of it is not awaited by all paths

    const name = await group.spawn(() => chooseInstanceName(docker, settings))
    const network = group.spawn(() => useOrCreateNetwork(run, name))
    const sqlName = sqlImage ? sqlContainerName(name) : ''
    const connectionString =
      database.kind === 'external'
        ? database.connectionString
        : sqlContainerConnectionString({ host: sqlName, port: SQL_PORT, database: database.name, password: settings.saPassword as string })
    maskSecret(connectionString)
    const { admin, masterKey, licenseBase64, hostPort, pollingPort } = settings
    const base = {
      name,
      connectionString,
      masterKey,
      admin,
      ...(licenseBase64 && { licenseBase64 }),
      hostPort,
      ...(pollingPort && { pollingPort }),
      sqlContainerName: sqlName,
    }

    const sqlStarted = sqlImage ? group.spawn((s) => startSql(run, sqlImage, octopusKnown, name, network, s)) : undefined
    const sqlReady = sqlStarted ? group.spawn(async (s) => sqlSignsIn(run, await sqlStarted, network, s)) : undefined
    // Octopus starts only once SQL takes sign-ins, so it is created after SQL has started: a container
    // created while an image is still being pulled or was just written waits on the engine's disk writes and
    // slows that pull and the SQL start behind it (~1-2 s on a cold pull on the bench box).
    const created = group.spawn(async (s) => {
      await sqlStarted
      return createOctopus(run, octopusImage, { ...base, network: await network }, s)
    })
    const [sql, octopus] = await Promise.all([sqlStarted, created, sqlReady])

    // `timeout` counts from the moment the last image is present, for SQL and Octopus together.
    const deadline = new Deadline(settings.timeoutSeconds * 1000, systemClock, Math.max(sql?.imagePresentAt ?? 0, octopus.imagePresentAt))
    return await serveOctopus(run, octopus.plan, octopus.container, deadline, { timing: 'Octopus Server ready' })
  } catch (e) {
    // The task that failed first is the cause; the others only report that they were stopped.
    throw (await group.settle()) ?? e
  }
}
