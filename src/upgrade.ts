import { databaseOf, parseConnectionString } from './connection-string.js'
import { maskSecret } from './context.js'
import { hostFolderPath } from './host-folders.js'
import { MOUNT_INPUTS, type MountName } from './inputs.js'
import { containerExists, NameTakenError } from './instance.js'
import { prefixed } from './log.js'
import { getApiRoot } from './octopus/api.js'
import { createOctopusContainer, provideOctopusImage, serveOctopus, type OctopusPlan } from './octopus/serve.js'
import type { ServerOutputs } from './outputs.js'
import { readPreviousInstance, UpgradeError, type PreviousInstance } from './previous-instance.js'
import type { RunContext } from './run-context.js'
import { Deadline } from './wait/deadline.js'
import { startTimeout } from './wait/timeout-signal.js'

const GRACEFUL_STOP_SECONDS = 30

function sameConnection(a: string, b: string): boolean {
  const pa = parseConnectionString(a)
  const pb = parseConnectionString(b)
  return pa.size === pb.size && [...pa].every(([k, v]) => pb.get(k) === v)
}

/** Inputs that would silently point the new version elsewhere are errors: an upgrade keeps database and network. */
function checkInputsAgree(run: RunContext, previous: PreviousInstance): void {
  const { settings } = run
  const problems: string[] = []
  if (settings.given.has('sql-connection-string') && settings.database.kind === 'external' && !sameConnection(settings.database.connectionString, previous.connectionString)) {
    problems.push(`sql-connection-string names another database than ${previous.name} uses: an upgrade keeps the database; leave sql-connection-string empty`)
  }
  // Inputs that repeat the earlier step's values are fine (one `with:` block can serve both steps); others are not.
  const database = settings.database
  if (database.kind === 'container') {
    const keeps = `${previous.name}'s database stays where it is; remove`
    if (settings.given.has('sql-image') && database.image !== previous.sql?.image) {
      problems.push(`sql-image is ${database.image}, not the earlier step's ${previous.sql?.image ?? '(no SQL container)'}: ${keeps} sql-image`)
    }
    if (settings.given.has('sql-password') && database.saPassword !== previous.sql?.saPassword) {
      problems.push(`sql-password differs from the earlier step's: ${keeps} sql-password`)
    }
    const previousDatabase = databaseOf(parseConnectionString(previous.connectionString))
    if (settings.given.has('database') && database.name !== previousDatabase) {
      problems.push(`database is "${database.name}" but ${previous.name} uses "${previousDatabase}": ${keeps} database`)
    }
  }
  if (settings.network && settings.network !== previous.network) {
    problems.push(`network is "${settings.network}" but ${previous.name} is on "${previous.network}": an upgrade keeps the network; leave network empty`)
  }
  if (settings.given.has('host-port') && settings.hostPort !== 0 && settings.hostPort !== previous.hostPort) {
    problems.push(`host-port is ${settings.hostPort} but ${previous.name} serves on ${previous.hostPort}: an upgrade keeps the URL; leave host-port empty`)
  }
  for (const [role, folder] of Object.entries(settings.mounts) as Array<[MountName, string]>) {
    const kept = previous.mounts.find((m) => m.role === role)
    if (kept?.type === 'bind' && kept.source === hostFolderPath(folder)) continue
    const input = MOUNT_INPUTS[role]
    const had = kept ? `the ${kept.type === 'bind' ? 'folder' : 'volume'} ${kept.source}` : 'nothing'
    problems.push(`${input} is "${folder}" but ${previous.name} has ${had} there: an upgrade keeps the earlier step's folders and volumes; remove ${input}`)
  }
  if (problems.length) throw new UpgradeError(problems.join('\n'))
}

async function versionOf(previous: PreviousInstance): Promise<string> {
  try {
    return (await getApiRoot(`http://localhost:${previous.hostPort}`, startTimeout(5000).signal)).Version
  } catch {
    return previous.image.split(':').pop() ?? 'unknown'
  }
}

/**
 * Moves an earlier step's database, master key, volumes, network and host port to a new version: the new
 * image is pulled first (nothing changes if that fails), then the old container stops and the new one starts.
 */
export async function upgrade(run: RunContext, from: string): Promise<ServerOutputs> {
  const { docker, settings } = run
  const log = prefixed('[upgrade]')
  const previous = await readPreviousInstance(docker, from)
  maskSecret(previous.connectionString)
  maskSecret(previous.masterKey)
  maskSecret(previous.admin.password)
  maskSecret(previous.licenseBase64)
  maskSecret(previous.sql?.saPassword)
  checkInputsAgree(run, previous)
  const name = settings.nameGiven ? settings.name : previous.name
  const taken = name !== previous.name && (await containerExists(docker, name))
  if (taken) throw new NameTakenError(`name "${name}" is taken by another container (${taken}): choose another name, or leave name empty to keep ${previous.name}`)

  const masterKey = settings.masterKeyGiven ? settings.masterKey : previous.masterKey
  if (!masterKey) throw new UpgradeError(`${previous.name} has no master key in its environment: give the database's master key in master-key`)
  const admin = {
    username: settings.given.has('admin-username') ? settings.admin.username : (previous.admin.username ?? settings.admin.username),
    password: settings.given.has('admin-password') ? settings.admin.password : (previous.admin.password ?? settings.admin.password),
    email: settings.given.has('admin-email') ? settings.admin.email : (previous.admin.email ?? settings.admin.email),
  }
  const previousVersion = await versionOf(previous)
  log(`${previous.name} runs Octopus ${previousVersion} on ${previous.network}, port ${previous.hostPort}`)

  const { contract } = await provideOctopusImage(run)

  log(`Stopping ${previous.name} (up to ${GRACEFUL_STOP_SECONDS} s to shut down cleanly)`)
  await previous.container.stop({ t: GRACEFUL_STOP_SECONDS }).catch(() => undefined)
  await previous.container.remove({ force: true, v: true })

  const licenseBase64 = settings.licenseBase64 ?? previous.licenseBase64
  const pollingPort = settings.pollingPort ?? previous.pollingPort
  const plan: OctopusPlan = {
    name,
    contract,
    network: previous.network,
    connectionString: previous.connectionString,
    masterKey,
    admin,
    ...(licenseBase64 && { licenseBase64 }),
    hostPort: previous.hostPort,
    ...(pollingPort && { pollingPort }),
    mounts: previous.mounts,
    sqlContainerName: previous.sqlContainerName,
  }
  const container = await createOctopusContainer(run, plan)
  if (previous.sqlContainerName) run.watched.push({ name: previous.sqlContainerName, container: docker.getContainer(previous.sqlContainerName) })
  const deadline = new Deadline(settings.timeoutSeconds * 1000)
  return serveOctopus(run, plan, container, deadline, { timing: 'Upgraded Octopus Server ready', previousVersion })
}
