import type Docker from 'dockerode'
import { contractOf, factsOf } from './contract.js'
import { isNotFound } from './docker/errors.js'
import { LABELS } from './docker/labels.js'
import type { MountName } from './inputs.js'
import { boundHostPort, type OctopusMount } from './octopus/octopus-container.js'
import { envValue } from './octopus-env.js'

/** What an earlier step's Octopus container was started with, read back from the engine. */
export interface PreviousInstance {
  id: string
  name: string
  image: string
  connectionString: string
  masterKey?: string
  admin: { username?: string; password?: string; email?: string }
  licenseBase64?: string
  network: string
  hostPort: number
  pollingPort?: number
  mounts: OctopusMount[]
  sqlContainerName: string
  /** The earlier step's SQL container, when it made one: image and sa password, to compare with inputs. */
  sql?: { image: string; saPassword?: string }
  container: Docker.Container
}

async function readSqlContainer(docker: Docker, name: string): Promise<PreviousInstance['sql']> {
  if (!name) return undefined
  try {
    const info = await docker.getContainer(name).inspect()
    const saPassword = envValue(info.Config.Env ?? [], 'MSSQL_SA_PASSWORD', 'SA_PASSWORD')
    return { image: info.Config.Image, ...(saPassword && { saPassword }) }
  } catch (e) {
    if (isNotFound(e)) return undefined
    throw e
  }
}

export class UpgradeError extends Error {}

export async function readPreviousInstance(docker: Docker, name: string): Promise<PreviousInstance> {
  const container = docker.getContainer(name)
  let info: Docker.ContainerInspectInfo
  try {
    info = await container.inspect()
  } catch (e) {
    if (isNotFound(e)) throw new UpgradeError(`upgrade-from names "${name}", but no container of that name exists: use the container-name output of the earlier step`)
    throw e
  }
  const labels = info.Config.Labels ?? {}
  if (labels[LABELS.managed] !== 'true' || labels[LABELS.role] !== 'octopus') {
    throw new UpgradeError(`upgrade-from names "${name}", which this action did not start (it has no ${LABELS.role}=octopus label): upgrade-from takes the container-name output of an earlier step of this action`)
  }
  if (!info.State.Running) {
    throw new UpgradeError(`upgrade-from names "${name}", which is not running (status: ${info.State.Status}, exit code ${info.State.ExitCode}): upgrades start from a running instance`)
  }
  const env = info.Config.Env ?? []
  const connectionString = envValue(env, 'DB_CONNECTION_STRING', 'SqlDbConnectionString')
  if (!connectionString) throw new UpgradeError(`${name} has no database connection string in its environment; it cannot be upgraded in place`)

  const imageInfo = await docker.getImage(info.Image).inspect()
  const contract = contractOf(info.Config.Image, factsOf(imageInfo))
  const hostPort = boundHostPort(info, contract.httpPort)
  if (!hostPort) throw new UpgradeError(`${name} publishes no host port for ${contract.httpPort}/tcp`)
  const pollingPort = boundHostPort(info, contract.pollingPort)

  const roleOf = (target: string) => (Object.entries(contract.paths) as Array<[MountName, string]>).find(([, p]) => p === target)?.[0]
  const mounts: OctopusMount[] = []
  for (const m of info.Mounts) {
    const role = roleOf(m.Destination)
    if (!role) continue
    if (m.Type === 'bind') mounts.push({ type: 'bind', source: m.Source, role })
    else if (m.Type === 'volume' && m.Name) mounts.push({ type: 'volume', source: m.Name, role })
  }

  const masterKey = envValue(env, 'MASTER_KEY', 'MasterKey')
  const licenseBase64 = envValue(env, 'OCTOPUS_SERVER_BASE64_LICENSE', 'LicenceBase64')
  const network = labels[LABELS.network] ?? Object.keys(info.NetworkSettings.Networks ?? {})[0] ?? ''
  const username = envValue(env, 'ADMIN_USERNAME', 'OctopusAdminUsername')
  const password = envValue(env, 'ADMIN_PASSWORD', 'OctopusAdminPassword')
  const email = envValue(env, 'ADMIN_EMAIL')
  const sqlContainerName = labels[LABELS.sqlContainer] ?? ''
  const sql = await readSqlContainer(docker, sqlContainerName)
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    image: info.Config.Image,
    connectionString,
    ...(masterKey && { masterKey }),
    admin: { ...(username && { username }), ...(password && { password }), ...(email && { email }) },
    ...(licenseBase64 && { licenseBase64 }),
    network,
    hostPort,
    ...(pollingPort && { pollingPort }),
    mounts,
    sqlContainerName,
    ...(sql && { sql }),
    container,
  }
}
