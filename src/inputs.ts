import { z } from 'zod'
import { isMasterKey, sqlPasswordProblem } from './passwords.js'
import { ConnectionStringError, parseConnectionString, serverOf } from './connection-string.js'
import { formatImageReference, isValidDigest, isValidTag, parseImageReference } from './image-reference.js'

/** Every input of action.yml. Defaults live here, not in action.yml, so "given" and "defaulted" differ. */
export const INPUT_NAMES = [
  'version',
  'image',
  'accept-eula',
  'admin-username',
  'admin-password',
  'admin-email',
  'master-key',
  'license',
  'sql-connection-string',
  'sql-image',
  'sql-password',
  'database',
  'host-port',
  'polling-port',
  'name',
  'network',
  'task-logs-path',
  'artifacts-path',
  'repository-path',
  'import-path',
  'env',
  'timeout',
  'pull',
  'registry-username',
  'registry-password',
  'cleanup',
  'docker-in-docker',
  'upgrade-from',
  'cache-images',
] as const

export type InputName = (typeof INPUT_NAMES)[number]
export type RawInputs = Partial<Record<InputName, string>>

/** Inputs whose values are secrets: masked before anything else reads them. */
export const SECRET_INPUTS: readonly InputName[] = [
  'admin-password',
  'master-key',
  'license',
  'sql-connection-string',
  'sql-password',
  'registry-password',
]

export const DEFAULTS = {
  version: 'latest',
  image: 'octopusdeploy/octopusdeploy',
  adminUsername: 'admin',
  adminEmail: 'octopus@example.local',
  sqlImage: 'mcr.microsoft.com/mssql/server:2022-latest',
  database: 'Octopus',
  timeoutSeconds: 600,
} as const

/** A day: longer than any real start, and well inside what timers can count. */
export const MAX_TIMEOUT_SECONDS = 86_400

export type PullPolicy = 'always' | 'missing' | 'never'
export type MountName = 'taskLogs' | 'artifacts' | 'repository' | 'import'

export type DatabaseInput =
  | { kind: 'container'; image: string; saPassword?: string; name: string }
  | { kind: 'external'; connectionString: string }

/** Validated inputs; optional fields are the ones the action generates or derives when empty. */
export interface ActionInputs {
  octopusImage: string
  admin: { username: string; password?: string; email: string }
  masterKey?: string
  licenseBase64?: string
  database: DatabaseInput
  hostPort: number
  pollingPort?: number
  name?: string
  network?: string
  mounts: Partial<Record<MountName, string>>
  extraEnv: Array<[string, string]>
  timeoutSeconds: number
  pull: PullPolicy
  registryAuth?: { username: string; password: string }
  cleanup: boolean
  dockerInDocker: boolean
  cacheImages: boolean
  upgradeFrom?: string
  /** Inputs given explicitly, for rules that depend on what the user chose (upgrade-from). */
  given: ReadonlySet<InputName>
}

export type ParseResult = { ok: true; inputs: ActionInputs } | { ok: false; errors: string[] }

export const MOUNT_INPUTS: Record<MountName, InputName> = {
  taskLogs: 'task-logs-path',
  artifacts: 'artifacts-path',
  repository: 'repository-path',
  import: 'import-path',
}

// As the engine requires: at least two characters.
const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/
const TRUE_WORDS = ['true', 'True', 'TRUE']
const FALSE_WORDS = ['false', 'False', 'FALSE']

function stripQuotes(value: string): string {
  const v = value.trim()
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) return v.slice(1, -1).trim()
  return v
}

const text = z.string()

const acceptEula = text.transform((v, ctx) => {
  const value = stripQuotes(v).toLowerCase()
  if (!['y', 'yes', 'true'].includes(value)) {
    ctx.addIssue({
      code: 'custom',
      message: v.trim()
        ? `accept-eula is "${v.trim()}": set it to Y (or yes, or true) to accept the Octopus Deploy and SQL Server EULAs`
        : 'accept-eula is required: set it to Y to accept the Octopus Deploy and SQL Server EULAs',
    })
    return z.NEVER
  }
  return true as const
})

function boolean(input: InputName, fallback: boolean) {
  return text.transform((v, ctx) => {
    const value = v.trim()
    if (value === '') return fallback
    if (TRUE_WORDS.includes(value)) return true
    if (FALSE_WORDS.includes(value)) return false
    ctx.addIssue({ code: 'custom', message: `${input} is "${value}": use true or false` })
    return z.NEVER
  })
}

function port(input: InputName, { allowZero }: { allowZero: boolean }) {
  const low = allowZero ? 0 : 1
  return text.transform((v, ctx) => {
    const value = v.trim()
    if (value === '') return undefined
    if (!/^\d+$/.test(value) || Number(value) < low || Number(value) > 65535) {
      ctx.addIssue({
        code: 'custom',
        message: `${input} is "${value}": use a whole number from ${low} to 65535${allowZero ? ' (0 lets the engine pick a free port)' : ''}`,
      })
      return z.NEVER
    }
    return Number(value)
  })
}

function containerName(input: InputName, { hostName = false } = {}) {
  return text.transform((v, ctx) => {
    const value = v.trim()
    if (value === '') return undefined
    if (!CONTAINER_NAME.test(value) || value.length > 60) {
      ctx.addIssue({
        code: 'custom',
        message: `${input} is "${value}": use 2 to 60 characters of letters, digits, '_', '.' and '-', starting with a letter or digit`,
      })
      return z.NEVER
    }
    // The name is the host in internal-url: URL parsers read a host whose last part is all digits as an IPv4
    // address, and a name ending in a dot does not resolve on the network.
    if (hostName && /\.\d*$/.test(value)) {
      ctx.addIssue({
        code: 'custom',
        message: `${input} is "${value}": it ends in a dot${/\d$/.test(value) ? ' and digits, which URLs read as an IP address' : ', which the network does not resolve'} (internal-url would not work); end it in a letter, or drop the dot`,
      })
      return z.NEVER
    }
    return value
  })
}

const optionalText = text.transform((v) => (v.trim() === '' ? undefined : v.trim()))

const schema = z.object({
  version: text,
  image: text,
  'accept-eula': acceptEula,
  'admin-username': text.transform((v, ctx) => {
    const value = v.trim() || DEFAULTS.adminUsername
    if (/\s/.test(value) || value.length > 64) {
      ctx.addIssue({ code: 'custom', message: `admin-username is "${value}": use up to 64 characters without spaces` })
      return z.NEVER
    }
    return value
  }),
  'admin-password': text.transform((v, ctx) => {
    if (v === '') return undefined
    if (v.length < 8) {
      ctx.addIssue({ code: 'custom', message: 'admin-password is too short: Octopus needs at least 8 characters (or leave it empty to generate one)' })
      return z.NEVER
    }
    return v
  }),
  'admin-email': text.transform((v, ctx) => {
    const value = v.trim() || DEFAULTS.adminEmail
    if (!/^[^\s@]+@[^\s@]+$/.test(value)) {
      ctx.addIssue({ code: 'custom', message: `admin-email is "${value}": use an address like octopus@example.local` })
      return z.NEVER
    }
    return value
  }),
  'master-key': text.transform((v, ctx) => {
    const value = v.trim()
    if (value === '') return undefined
    if (!isMasterKey(value)) {
      ctx.addIssue({
        code: 'custom',
        message: `master-key is not a master key: use 16 random bytes in base64 (24 characters ending in ==, e.g. from "openssl rand 16 | base64"), or leave it empty to generate one`,
      })
      return z.NEVER
    }
    return value
  }),
  license: text.transform((v, ctx) => {
    const value = v.trim()
    if (value === '') return undefined
    if (value.startsWith('<')) return Buffer.from(value, 'utf8').toString('base64')
    const compact = value.replace(/\s+/g, '')
    const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(compact) && compact.length % 4 === 0
      ? Buffer.from(compact, 'base64').toString('utf8').replace(/^\uFEFF/, '').trimStart()
      : ''
    if (!decoded.startsWith('<')) {
      ctx.addIssue({ code: 'custom', message: 'license is neither licence XML nor base64 of licence XML: paste the XML, or its base64' })
      return z.NEVER
    }
    return compact
  }),
  'sql-connection-string': text.transform((v, ctx) => {
    const value = v.trim()
    if (value === '') return undefined
    try {
      const parts = parseConnectionString(value)
      if (!serverOf(parts)) {
        ctx.addIssue({ code: 'custom', message: 'sql-connection-string names no server: include Server=host,port (or Data Source=...)' })
        return z.NEVER
      }
    } catch (e) {
      const why = e instanceof ConnectionStringError ? e.message : String(e)
      ctx.addIssue({ code: 'custom', message: `sql-connection-string is not a SQL Server connection string (${why}): use Key=Value pairs separated by ';'` })
      return z.NEVER
    }
    return value
  }),
  'sql-password': text.transform((v, ctx) => {
    if (v === '') return undefined
    const problem = sqlPasswordProblem(v)
    if (problem) {
      ctx.addIssue({
        code: 'custom',
        message: `sql-password breaks SQL Server's password policy: ${problem}. Use 8 to 128 characters from at least 3 of upper case, lower case, digits and symbols, or leave it empty to generate one`,
      })
      return z.NEVER
    }
    return v
  }),
  database: text.transform((v, ctx) => {
    const value = v.trim() || DEFAULTS.database
    if (!/^[A-Za-z_][A-Za-z0-9_-]{0,127}$/.test(value)) {
      ctx.addIssue({ code: 'custom', message: `database is "${value}": use letters, digits, '_' and '-', starting with a letter or '_'` })
      return z.NEVER
    }
    return value
  }),
  'host-port': port('host-port', { allowZero: true }),
  'polling-port': port('polling-port', { allowZero: false }),
  name: containerName('name', { hostName: true }),
  network: text.transform((v, ctx) => {
    const value = v.trim()
    if (value === '') return undefined
    if (!CONTAINER_NAME.test(value)) {
      ctx.addIssue({ code: 'custom', message: `network is "${value}": use the name or id of an existing Docker network` })
      return z.NEVER
    }
    return value
  }),
  'task-logs-path': optionalText,
  'artifacts-path': optionalText,
  'repository-path': optionalText,
  'import-path': optionalText,
  env: text.transform((v, ctx) => {
    const pairs: Array<[string, string]> = []
    v.split(/\r?\n/).forEach((line, index) => {
      const trimmed = line.trim()
      if (trimmed === '' || trimmed.startsWith('#')) return
      const eq = trimmed.indexOf('=')
      const key = eq < 0 ? trimmed : trimmed.slice(0, eq).trim()
      if (eq < 0 || !ENV_KEY.test(key)) {
        // Only the key is echoed: the rest of a line may be a secret.
        const what = eq < 0 ? 'has no "="' : `has the key "${key.length > 40 ? key.slice(0, 40) + '...' : key}"`
        ctx.addIssue({
          code: 'custom',
          message: `env line ${index + 1} ${what}, so it is not KEY=VALUE: write one KEY=VALUE per line, KEY of letters, digits and '_', not starting with a digit`,
        })
        return
      }
      pairs.push([key, trimmed.slice(eq + 1).trimStart()])
    })
    return pairs
  }),
  timeout: text.transform((v, ctx) => {
    const value = v.trim()
    if (value === '') return DEFAULTS.timeoutSeconds
    const n = Number(value)
    if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0) || n > MAX_TIMEOUT_SECONDS) {
      ctx.addIssue({ code: 'custom', message: `timeout is "${value.length > 20 ? value.slice(0, 20) + '...' : value}": use a positive number of seconds up to ${MAX_TIMEOUT_SECONDS}, e.g. 600` })
      return z.NEVER
    }
    return n
  }),
  pull: text.transform((v, ctx) => {
    const value = v.trim().toLowerCase() || 'missing'
    if (value !== 'always' && value !== 'missing' && value !== 'never') {
      ctx.addIssue({ code: 'custom', message: `pull is "${v.trim()}": use always, missing or never` })
      return z.NEVER
    }
    return value as PullPolicy
  }),
  'registry-username': optionalText,
  'registry-password': text.transform((v) => (v === '' ? undefined : v)),
  cleanup: boolean('cleanup', true),
  'docker-in-docker': boolean('docker-in-docker', false),
  'upgrade-from': containerName('upgrade-from'),
  'cache-images': boolean('cache-images', false),
})

function octopusImage(imageInput: string, versionInput: string, errors: string[]): string {
  const image = imageInput.trim() || DEFAULTS.image
  const version = versionInput.trim()
  const ref = parseImageReference(image)
  if (!ref) {
    errors.push(`image is "${image}": use an image repository such as octopusdeploy/octopusdeploy or localhost:5000/team/octopus (lower case)`)
    return ''
  }
  if (ref.tag || ref.digest) {
    if (version) {
      errors.push(`image "${image}" already names a tag or digest and version is "${version}" too: put the tag in version only`)
      return ''
    }
    return formatImageReference(ref)
  }
  const v = version || DEFAULTS.version
  if (v.startsWith('sha256:')) {
    if (!isValidDigest(v)) errors.push(`version "${v}" is not a valid digest: use sha256: and 64 hex digits`)
    return `${ref.repository}@${v}`
  }
  if (!isValidTag(v)) {
    errors.push(`version is "${v}": use an image tag such as latest or 2025.2.0 (letters, digits, '_', '.', '-'; up to 128)`)
    return ''
  }
  return `${ref.repository}:${v}`
}

function sqlImage(input: string, errors: string[]): string {
  const image = input.trim() || DEFAULTS.sqlImage
  const ref = parseImageReference(image)
  if (!ref) {
    errors.push(`sql-image is "${image}": use an image reference such as mcr.microsoft.com/mssql/server:2022-latest`)
    return image
  }
  return formatImageReference(ref.tag || ref.digest ? ref : { ...ref, tag: 'latest' })
}

/** Rules between inputs; they read the raw values, so they are reported even when a single input is wrong too. */
function crossInputProblems(raw: RawInputs, given: ReadonlySet<InputName>): string[] {
  const problems: string[] = []
  if (given.has('sql-connection-string')) {
    const clash = (['sql-image', 'sql-password', 'database'] as const).filter((n) => given.has(n))
    if (clash.length) {
      problems.push(
        `sql-connection-string cannot be combined with ${clash.join(' or ')}: with a connection string no SQL container is started; remove ${clash.length > 1 ? 'those inputs' : 'that input'}`,
      )
    }
  }
  if (given.has('registry-username') !== ((raw['registry-password'] ?? '') !== '')) {
    problems.push('registry-username and registry-password go together: give both, or neither')
  }
  const host = (raw['host-port'] ?? '').trim()
  const polling = (raw['polling-port'] ?? '').trim()
  if (/^\d+$/.test(polling) && /^\d+$/.test(host) && Number(polling) === Number(host)) {
    problems.push(`polling-port and host-port are both ${Number(polling)}: use two different ports`)
  }
  return problems
}

/** Checks every input at once, so one run reports all that is wrong. Pure: no I/O, no randomness. */
export function parseInputs(raw: RawInputs): ParseResult {
  const given = new Set(INPUT_NAMES.filter((n) => (raw[n] ?? '').trim() !== ''))
  const values = Object.fromEntries(INPUT_NAMES.map((n) => [n, raw[n] ?? '']))
  const result = schema.safeParse(values)
  const errors = result.success ? [] : result.error.issues.map((i) => i.message)
  const image = octopusImage(raw.image ?? '', raw.version ?? '', errors)
  const sqlImageRef = given.has('sql-connection-string') ? '' : sqlImage(raw['sql-image'] ?? '', errors)
  errors.push(...crossInputProblems(raw, given))
  if (!result.success || errors.length) return { ok: false, errors }

  const p = result.data
  const database: DatabaseInput = p['sql-connection-string']
    ? { kind: 'external', connectionString: p['sql-connection-string'] }
    : { kind: 'container', image: sqlImageRef, name: p.database, ...(p['sql-password'] && { saPassword: p['sql-password'] }) }
  const mounts: Partial<Record<MountName, string>> = {}
  for (const [mount, input] of Object.entries(MOUNT_INPUTS) as Array<[MountName, InputName]>) {
    const value = p[input as 'task-logs-path']
    if (value) mounts[mount] = value
  }
  return {
    ok: true,
    inputs: {
      octopusImage: image,
      admin: { username: p['admin-username'], email: p['admin-email'], ...(p['admin-password'] && { password: p['admin-password'] }) },
      ...(p['master-key'] && { masterKey: p['master-key'] }),
      ...(p.license && { licenseBase64: p.license }),
      database,
      hostPort: p['host-port'] ?? 0,
      ...(p['polling-port'] !== undefined && { pollingPort: p['polling-port'] }),
      ...(p.name && { name: p.name }),
      ...(p.network && { network: p.network }),
      mounts,
      extraEnv: p.env,
      timeoutSeconds: p.timeout,
      pull: p.pull,
      ...(p['registry-username'] && p['registry-password'] && {
        registryAuth: { username: p['registry-username'], password: p['registry-password'] },
      }),
      cleanup: p.cleanup,
      dockerInDocker: p['docker-in-docker'],
      cacheImages: p['cache-images'],
      ...(p['upgrade-from'] && { upgradeFrom: p['upgrade-from'] }),
      given,
    },
  }
}
