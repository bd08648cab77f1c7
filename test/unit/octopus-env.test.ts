import { describe, expect, it } from 'vitest'
import { envValue, octopusEnv, type OctopusEnvSettings } from '../../src/octopus-env.js'

const settings = (extra: Partial<OctopusEnvSettings> = {}): OctopusEnvSettings => ({
  connectionString: 'Server=sql,1433;Password=p;a=b',
  masterKey: 'MK==',
  admin: { username: 'admin', password: 'AdminPw1!', email: 'a@b.c' },
  nodeName: 'node-1',
  dockerInDocker: false,
  extraEnv: [],
  ...extra,
})

/** The env list as a map, failing on duplicate keys. */
function asMap(env: string[]): Map<string, string> {
  const map = new Map<string, string>()
  for (const entry of env) {
    const eq = entry.indexOf('=')
    expect(eq).toBeGreaterThan(0)
    const key = entry.slice(0, eq)
    expect(map.has(key), `duplicate ${key}`).toBe(false)
    map.set(key, entry.slice(eq + 1))
  }
  return map
}

describe('octopusEnv', () => {
  it('sets the names of both generations', () => {
    for (const generation of ['current', 'legacy'] as const) {
      const env = asMap(octopusEnv(settings(), { generation }))
      expect(Object.fromEntries(env)).toEqual({
        ACCEPT_EULA: 'Y',
        DB_CONNECTION_STRING: 'Server=sql,1433;Password=p;a=b',
        MASTER_KEY: 'MK==',
        ADMIN_USERNAME: 'admin',
        ADMIN_PASSWORD: 'AdminPw1!',
        ADMIN_EMAIL: 'a@b.c',
        OCTOPUS_SERVER_NODE_NAME: 'node-1',
        ENABLE_USAGE: 'N',
        DISABLE_DIND: 'Y',
        SqlDbConnectionString: 'Server=sql,1433;Password=p;a=b',
        MasterKey: 'MK==',
        OctopusAdminUsername: 'admin',
        OctopusAdminPassword: 'AdminPw1!',
        ServerNodeName: 'node-1',
      })
    }
  })

  it('keeps values containing = intact', () => {
    expect(octopusEnv(settings(), { generation: 'current' })).toContain('DB_CONNECTION_STRING=Server=sql,1433;Password=p;a=b')
  })

  it('sets DISABLE_DIND from dockerInDocker', () => {
    expect(asMap(octopusEnv(settings({ dockerInDocker: true }), { generation: 'current' })).get('DISABLE_DIND')).toBe('N')
    expect(asMap(octopusEnv(settings({ dockerInDocker: false }), { generation: 'current' })).get('DISABLE_DIND')).toBe('Y')
  })

  it('sets the licence names only when a licence is given', () => {
    const without = asMap(octopusEnv(settings(), { generation: 'current' }))
    expect(without.has('OCTOPUS_SERVER_BASE64_LICENSE')).toBe(false)
    expect(without.has('LicenceBase64')).toBe(false)
    expect(asMap(octopusEnv(settings({ licenseBase64: '' }), { generation: 'current' })).has('LicenceBase64')).toBe(false)
    const withLicence = asMap(octopusEnv(settings({ licenseBase64: 'PExpYz4=' }), { generation: 'legacy' }))
    expect(withLicence.get('OCTOPUS_SERVER_BASE64_LICENSE')).toBe('PExpYz4=')
    expect(withLicence.get('LicenceBase64')).toBe('PExpYz4=')
  })

  it('lets user env lines win and adds new ones at the end', () => {
    const env = octopusEnv(settings({ extraEnv: [['MASTER_KEY', 'mine'], ['EXTRA', '1'], ['EXTRA', '2']] }), { generation: 'current' })
    const map = asMap(env)
    expect(map.get('MASTER_KEY')).toBe('mine')
    expect(map.get('MasterKey')).toBe('MK==')
    expect(map.get('EXTRA')).toBe('2')
    expect(env.at(-1)).toBe('EXTRA=2')
  })

  it('keeps keys differing only in case apart for the current (Linux) generation', () => {
    const map = asMap(octopusEnv(settings({ extraEnv: [['masterkey', 'mine']] }), { generation: 'current' }))
    expect(map.get('MasterKey')).toBe('MK==')
    expect(map.get('masterkey')).toBe('mine')
  })

  it('replaces a key differing only in case for the legacy (Windows) generation, without duplicates', () => {
    const env = octopusEnv(
      settings({ extraEnv: [['sqldbconnectionstring', 'Server=other'], ['master_key', 'mk2'], ['Extra', 'a'], ['EXTRA', 'b']] }),
      { generation: 'legacy' },
    )
    const map = asMap(env)
    expect(map.has('SqlDbConnectionString')).toBe(false)
    expect(map.get('sqldbconnectionstring')).toBe('Server=other')
    expect(map.has('MASTER_KEY')).toBe(false)
    expect(map.get('master_key')).toBe('mk2')
    expect(map.get('MasterKey')).toBe('MK==')
    expect(map.has('Extra')).toBe(false)
    expect(map.get('EXTRA')).toBe('b')
    const lower = env.map((e) => e.slice(0, e.indexOf('=')).toLowerCase())
    expect(new Set(lower).size).toBe(lower.length)
  })
})

describe('envValue', () => {
  const env = ['PATH=/bin', 'MasterKey=abc==', 'DB_CONNECTION_STRING=Server=x;a=b', '=weird', 'NOEQUALS', 'EMPTY=']

  it('finds a value by name, case-insensitively, keeping = in the value', () => {
    expect(envValue(env, 'masterkey')).toBe('abc==')
    expect(envValue(env, 'MASTERKEY')).toBe('abc==')
    expect(envValue(env, 'db_connection_string')).toBe('Server=x;a=b')
    expect(envValue(env, 'EMPTY')).toBe('')
  })

  it('tries the names in order', () => {
    expect(envValue(env, 'MASTER_KEY', 'MasterKey')).toBe('abc==')
    expect(envValue(['A=1', 'B=2'], 'B', 'A')).toBe('2')
  })

  it('returns undefined when no name is set', () => {
    expect(envValue(env, 'NOEQUALS')).toBeUndefined()
    expect(envValue(env, '')).toBeUndefined()
    expect(envValue(env, 'MISSING', 'ALSO_MISSING')).toBeUndefined()
    expect(envValue([], 'PATH')).toBeUndefined()
  })
})
