import type { ActionInputs, MountName } from './inputs.js'
import { cryptoRandom, generateMasterKey, generatePassword, randomSuffix, type Random } from './passwords.js'

/** Inputs with every generated value filled in. */
export interface Settings extends Omit<ActionInputs, 'admin' | 'masterKey' | 'name'> {
  runId: string
  name: string
  nameGiven: boolean
  admin: { username: string; password: string; email: string }
  masterKey: string
  masterKeyGiven: boolean
  /** sa password of the SQL container; absent with an external database. */
  saPassword?: string
}

export const SQL_PORT = 1433

export function resolveSettings(inputs: ActionInputs, random: Random = cryptoRandom): Settings {
  const { admin, masterKey, name, ...rest } = inputs
  return {
    ...rest,
    runId: `${Date.now().toString(36)}-${randomSuffix(random, 8)}`,
    name: name ?? `octopus-${randomSuffix(random)}`,
    nameGiven: name !== undefined,
    admin: { username: admin.username, email: admin.email, password: admin.password ?? generatePassword(random) },
    masterKey: masterKey ?? generateMasterKey(random),
    masterKeyGiven: masterKey !== undefined,
    ...(inputs.database.kind === 'container' && { saPassword: inputs.database.saPassword ?? generatePassword(random) }),
  }
}

export const sqlContainerName = (name: string) => `${name}-sql`
export const networkNameFor = (name: string) => `${name}-net`

/** Image paths that get a volume of the run's own when not mapped to a host folder; they carry over to upgrades. */
const VOLUME_ROLES: readonly MountName[] = ['repository', 'artifacts', 'taskLogs']

/** The volumes a new instance makes, by role and name. */
export function volumesFor(settings: Pick<Settings, 'mounts'>, name: string): Array<{ role: MountName; volume: string }> {
  return VOLUME_ROLES.filter((role) => !settings.mounts[role]).map((role) => ({ role, volume: `${name}-${role.toLowerCase()}` }))
}
