import type { ImageContract } from './contract.js'

export interface OctopusEnvSettings {
  connectionString: string
  masterKey: string
  admin: { username: string; password: string; email: string }
  licenseBase64?: string
  nodeName: string
  dockerInDocker: boolean
  extraEnv: ReadonlyArray<readonly [string, string]>
}

/**
 * The Octopus container's environment. Both generations' names are set, so one mapping serves the
 * current image (DB_CONNECTION_STRING, ...) and the 2018 image (SqlDbConnectionString, ...), whatever
 * the contract detection concluded. User `env` lines come last and win.
 */
export function octopusEnv(s: OctopusEnvSettings, contract: Pick<ImageContract, 'generation'>): string[] {
  const env = new Map<string, string>([
    ['ACCEPT_EULA', 'Y'],
    ['DB_CONNECTION_STRING', s.connectionString],
    ['MASTER_KEY', s.masterKey],
    ['ADMIN_USERNAME', s.admin.username],
    ['ADMIN_PASSWORD', s.admin.password],
    ['ADMIN_EMAIL', s.admin.email],
    ['OCTOPUS_SERVER_NODE_NAME', s.nodeName],
    ['ENABLE_USAGE', 'N'],
    ['DISABLE_DIND', s.dockerInDocker ? 'N' : 'Y'],
    ['SqlDbConnectionString', s.connectionString],
    ['MasterKey', s.masterKey],
    ['OctopusAdminUsername', s.admin.username],
    ['OctopusAdminPassword', s.admin.password],
    ['ServerNodeName', s.nodeName],
  ])
  if (s.licenseBase64) {
    env.set('OCTOPUS_SERVER_BASE64_LICENSE', s.licenseBase64)
    env.set('LicenceBase64', s.licenseBase64)
  }
  // Windows env names ignore case: a user's `sqldbconnectionstring` must replace ours, not sit beside it.
  const caseInsensitive = contract.generation === 'legacy'
  for (const [key, value] of s.extraEnv) {
    if (caseInsensitive) {
      for (const existing of [...env.keys()]) if (existing.toLowerCase() === key.toLowerCase()) env.delete(existing)
    }
    env.set(key, value)
  }
  return [...env].map(([k, v]) => `${k}=${v}`)
}

/** Reads a variable back from a container's `Env` list (used when upgrading from an earlier container). */
export function envValue(env: readonly string[], ...names: string[]): string | undefined {
  const wanted = names.map((n) => n.toLowerCase())
  for (const name of wanted) {
    for (const entry of env) {
      const eq = entry.indexOf('=')
      if (eq > 0 && entry.slice(0, eq).toLowerCase() === name) return entry.slice(eq + 1)
    }
  }
  return undefined
}
