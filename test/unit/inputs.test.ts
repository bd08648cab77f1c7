import { describe, expect, it } from 'vitest'
import { DEFAULTS, INPUT_NAMES, parseInputs, SECRET_INPUTS, type ActionInputs, type RawInputs } from '../../src/inputs.js'

const EULA = { 'accept-eula': 'Y' } as const
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`
const MASTER_KEY = Buffer.from('0123456789abcdef').toString('base64') // 16 bytes -> 24 chars ending in ==
const CONN = 'Server=db.example,1433;Database=Octopus;User Id=sa;Password=Secr3t!Pass'

function accepted(raw: RawInputs): ActionInputs {
  const result = parseInputs(raw)
  if (!result.ok) throw new Error(`expected the inputs to be accepted, got: ${result.errors.join(' | ')}`)
  return result.inputs
}

function rejected(raw: RawInputs): string[] {
  const result = parseInputs(raw)
  if (result.ok) throw new Error(`expected the inputs to be rejected: ${JSON.stringify(raw)}`)
  expect(result.errors.length).toBeGreaterThan(0)
  return result.errors
}

/** Exactly one error, and it starts with the input's name. */
function onlyError(raw: RawInputs, input: string): string {
  const errors = rejected(raw)
  expect(errors).toHaveLength(1)
  expect(errors[0]!.startsWith(input)).toBe(true)
  return errors[0]!
}

describe('parseInputs: defaults', () => {
  it('fills every default when only accept-eula is given', () => {
    const inputs = accepted({ ...EULA })
    expect(inputs.octopusImage).toBe('octopusdeploy/octopusdeploy:latest')
    expect(inputs.admin).toEqual({ username: 'admin', email: 'octopus@example.local' })
    expect(inputs.database).toEqual({ kind: 'container', image: 'mcr.microsoft.com/mssql/server:2022-latest', name: 'Octopus' })
    expect(inputs.hostPort).toBe(0)
    expect(inputs.timeoutSeconds).toBe(600)
    expect(inputs.pull).toBe('missing')
    expect(inputs.cleanup).toBe(true)
    expect(inputs.dockerInDocker).toBe(false)
    expect(inputs.cacheImages).toBe(false)
    expect(inputs.mounts).toEqual({})
    expect(inputs.extraEnv).toEqual([])
    for (const key of ['masterKey', 'licenseBase64', 'pollingPort', 'name', 'network', 'registryAuth', 'upgradeFrom'] as const) {
      expect(inputs, key).not.toHaveProperty(key)
    }
    expect([...inputs.given]).toEqual(['accept-eula'])
  })

  it('treats blank and whitespace-only values as not given', () => {
    const raw: RawInputs = { ...EULA }
    for (const name of INPUT_NAMES) if (name !== 'accept-eula') raw[name] = name.endsWith('password') || name === 'env' ? '' : '   '
    const inputs = accepted(raw)
    expect([...inputs.given]).toEqual(['accept-eula'])
    expect(inputs.octopusImage).toBe('octopusdeploy/octopusdeploy:latest')
    expect(inputs.timeoutSeconds).toBe(DEFAULTS.timeoutSeconds)
  })

  it('records exactly the inputs that were given', () => {
    const inputs = accepted({ ...EULA, version: '2025.2.0', 'host-port': '8080', cleanup: 'false' })
    expect([...inputs.given].sort()).toEqual(['accept-eula', 'cleanup', 'host-port', 'version'])
  })

  it('lists secret inputs that are real input names', () => {
    for (const s of SECRET_INPUTS) expect(INPUT_NAMES).toContain(s)
    expect(SECRET_INPUTS).toEqual(expect.arrayContaining(['admin-password', 'master-key', 'license', 'sql-password', 'sql-connection-string', 'registry-password']))
  })
})

describe('parseInputs: accept-eula', () => {
  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['blank', '   '],
  ])('rejects a %s value as required', (_label, value) => {
    const raw: RawInputs = value === undefined ? {} : { 'accept-eula': value }
    const error = onlyError(raw, 'accept-eula')
    expect(error).toContain('required')
  })

  it.each(['no', 'N', 'false', '"Y\'', "'Y\"", 'Yes please', 'yess', '1', '"'])('rejects %j naming accept-eula and the value', (value) => {
    const error = onlyError({ 'accept-eula': value }, 'accept-eula')
    expect(error).toContain(`"${value.trim()}"`)
    expect(error).toMatch(/set it to Y/)
  })

  it.each(['Y', 'y', "'Y'", '"yes"', 'TRUE', 'true', ' y ', 'YES', '" y "', "\t'true'\n"])('accepts %j', (value) => {
    expect(parseInputs({ 'accept-eula': value }).ok).toBe(true)
  })
})

describe('parseInputs: sql-password', () => {
  it.each([
    ['too short (7 characters)', 'Ab1!xyz', /has 7 characters.*at least 8/],
    ['two classes only', 'abcdefgh12', /uses 2 of the 4 character classes/],
    ['one class only', 'abcdefghij', /uses 1 of the 4 character classes/],
    ['129 characters', 'Aa1!'.repeat(32) + 'A', /has 129 characters.*at most 128/],
  ])('rejects a password that is %s, naming sql-password and the rule', (_label, password, rule) => {
    const error = onlyError({ ...EULA, 'sql-password': password }, 'sql-password')
    expect(error).toMatch(/password policy/)
    expect(error).toMatch(rule)
    expect(error).not.toContain(password)
  })

  it.each([
    ['exactly 8, three classes', 'Passw0rd'],
    ['lower + digit + symbol', 'pass-w0rd'],
    ['upper + lower + symbol', 'Pass-Word'],
    ['all four classes', 'Secr3t!Pass'],
    ['128 characters', 'Aa1!'.repeat(32)],
    ['spaces count as symbols', 'pass word 1'],
  ])('accepts %s and passes it to the SQL container', (_label, password) => {
    const inputs = accepted({ ...EULA, 'sql-password': password })
    expect(inputs.database).toEqual({ kind: 'container', image: DEFAULTS.sqlImage, name: 'Octopus', saPassword: password })
  })
})

describe('parseInputs: master-key', () => {
  it('accepts 16 bytes in base64, trimmed', () => {
    expect(accepted({ ...EULA, 'master-key': MASTER_KEY }).masterKey).toBe(MASTER_KEY)
    expect(accepted({ ...EULA, 'master-key': `  ${MASTER_KEY}\n` }).masterKey).toBe(MASTER_KEY)
  })

  it.each([
    ['16 bytes of text, not base64', '0123456789abcdef'],
    ['16 bytes in hex', Buffer.from('0123456789abcdef').toString('hex')],
    ['a 32-byte key', Buffer.alloc(32, 9).toString('base64')],
    ['a 15-byte key', Buffer.alloc(15, 9).toString('base64')],
    ['24 characters with a character outside base64', 'AAAAAAAAAAAAAAAAAAAAA-=='],
    ['base64 without its padding', MASTER_KEY.replace(/=+$/, '')],
    ['garbage', 'not a key!'],
  ])('rejects %s without echoing it', (_label, key) => {
    const error = onlyError({ ...EULA, 'master-key': key }, 'master-key')
    expect(error).toMatch(/16 random bytes in base64/)
    expect(error).not.toContain(key)
  })
})

describe('parseInputs: admin', () => {
  it('rejects a short admin-password without echoing it', () => {
    const error = onlyError({ ...EULA, 'admin-password': 'Sh0rt!x' }, 'admin-password')
    expect(error).toMatch(/at least 8/)
    expect(error).not.toContain('Sh0rt!x')
  })

  it('keeps an admin-password of 8 characters verbatim, spaces included', () => {
    expect(accepted({ ...EULA, 'admin-password': ' 8 chars' }).admin.password).toBe(' 8 chars')
  })

  it('validates admin-username and admin-email', () => {
    expect(onlyError({ ...EULA, 'admin-username': 'has space' }, 'admin-username')).toContain('"has space"')
    onlyError({ ...EULA, 'admin-username': 'a'.repeat(65) }, 'admin-username')
    expect(accepted({ ...EULA, 'admin-username': 'a'.repeat(64) }).admin.username).toBe('a'.repeat(64))
    expect(onlyError({ ...EULA, 'admin-email': 'nobody' }, 'admin-email')).toContain('"nobody"')
    onlyError({ ...EULA, 'admin-email': 'a b@c' }, 'admin-email')
    expect(accepted({ ...EULA, 'admin-email': ' me@example.com ' }).admin.email).toBe('me@example.com')
  })
})

describe('parseInputs: ports', () => {
  it.each(['-1', '65536', 'abc', '1.5', '1e3', '0x50', '80 80'])('rejects host-port %j', (value) => {
    const error = onlyError({ ...EULA, 'host-port': value }, 'host-port')
    expect(error).toMatch(/from 0 to 65535/)
  })

  it.each([
    ['0', 0],
    ['65535', 65535],
    [' 8080 ', 8080],
  ])('accepts host-port %j', (value, port) => {
    expect(accepted({ ...EULA, 'host-port': value }).hostPort).toBe(port)
  })

  it.each(['0', '65536', '-5', 'x'])('rejects polling-port %j', (value) => {
    const error = onlyError({ ...EULA, 'polling-port': value }, 'polling-port')
    expect(error).toMatch(/from 1 to 65535/)
  })

  it('accepts polling-port 1 and 65535', () => {
    expect(accepted({ ...EULA, 'polling-port': '1' }).pollingPort).toBe(1)
    expect(accepted({ ...EULA, 'polling-port': '65535' }).pollingPort).toBe(65535)
  })

  it('rejects a polling-port equal to host-port, naming both', () => {
    const errors = rejected({ ...EULA, 'host-port': '10943', 'polling-port': '10943' })
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/polling-port and host-port are both 10943/)
  })

  it('accepts different host and polling ports', () => {
    const inputs = accepted({ ...EULA, 'host-port': '8080', 'polling-port': '10943' })
    expect([inputs.hostPort, inputs.pollingPort]).toEqual([8080, 10943])
  })
})

describe('parseInputs: timeout and pull', () => {
  it.each(['0', '-3', 'abc', '0.0', '1e3', '.5', '5.'])('rejects timeout %j', (value) => {
    expect(onlyError({ ...EULA, timeout: value }, 'timeout')).toMatch(/positive number of seconds/)
  })

  it.each([
    ['1.5', 1.5],
    ['600', 600],
    [' 30 ', 30],
    ['', 600],
  ])('accepts timeout %j as %d seconds', (value, seconds) => {
    expect(accepted({ ...EULA, timeout: value }).timeoutSeconds).toBe(seconds)
  })

  it.each([
    ['always', 'always'],
    ['Missing', 'missing'],
    [' NEVER ', 'never'],
    ['', 'missing'],
  ] as const)('accepts pull %j', (value, policy) => {
    expect(accepted({ ...EULA, pull: value }).pull).toBe(policy)
  })

  it.each(['sometimes', 'if-not-present', 'true'])('rejects pull %j', (value) => {
    expect(onlyError({ ...EULA, pull: value }, 'pull')).toMatch(/always, missing or never/)
  })
})

describe('parseInputs: env', () => {
  it('reads KEY=VALUE lines, skipping blank lines and comments', () => {
    const env = 'A=1\r\n\n   \n# a comment\n  # indented comment\n  B=x=y  \nC=\n_UNDER_score9=ok'
    expect(accepted({ ...EULA, env }).extraEnv).toEqual([
      ['A', '1'],
      ['B', 'x=y'],
      ['C', ''],
      ['_UNDER_score9', 'ok'],
    ])
  })

  it('takes the spaces around = as layout, not as part of the key or the value', () => {
    expect(accepted({ ...EULA, env: ' B = 2 \nC =  x y' }).extraEnv).toEqual([
      ['B', '2'],
      ['C', 'x y'],
    ])
  })

  it.each([
    ['=x', 1],
    ['OK=1\n1A=b', 2],
    ['OK=1\n\nnovalue', 3],
    ['# c\nA-B=1', 2],
    ['OK=1\r\nBAD KEY=1', 2],
  ])('rejects %j, naming the line number', (env, line) => {
    const error = onlyError({ ...EULA, env }, 'env')
    expect(error).toContain(`env line ${line} `)
    expect(error).toMatch(/is not KEY=VALUE/)
    expect(error).toContain('not starting with a digit')
  })

  it('reports every bad line', () => {
    const errors = rejected({ ...EULA, env: 'OK=1\n=x\n1A=b\nnovalue\nFINE=2' })
    expect(errors.map((e) => /^env line (\d+)/.exec(e)?.[1])).toEqual(['2', '3', '4'])
  })

  it('echoes only the key of a bad line, shortened, never what follows it (it may be a secret)', () => {
    expect(onlyError({ ...EULA, env: 'x'.repeat(100) }, 'env')).toBe(
      "env line 1 has no \"=\", so it is not KEY=VALUE: write one KEY=VALUE per line, KEY of letters, digits and '_', not starting with a digit",
    )
    const error = onlyError({ ...EULA, env: `${'k '.repeat(50)}=Secret-Value-1` }, 'env')
    expect(error).toContain(`has the key "${'k '.repeat(20)}..."`)
    expect(error).not.toContain('Secret-Value-1')
  })
})

describe('parseInputs: image and version', () => {
  it.each([
    [{}, 'octopusdeploy/octopusdeploy:latest'],
    [{ version: '2025.2.0' }, 'octopusdeploy/octopusdeploy:2025.2.0'],
    [{ version: ' 2025.2.0 ' }, 'octopusdeploy/octopusdeploy:2025.2.0'],
    [{ image: 'localhost:5000/a/b' }, 'localhost:5000/a/b:latest'],
    [{ image: 'localhost:5000/a/b', version: '1.0' }, 'localhost:5000/a/b:1.0'],
    [{ image: 'octopusdeploy/octopusdeploy:2024.1' }, 'octopusdeploy/octopusdeploy:2024.1'],
    [{ version: DIGEST }, `octopusdeploy/octopusdeploy@${DIGEST}`],
    [{ image: `octopusdeploy/octopusdeploy@${DIGEST}` }, `octopusdeploy/octopusdeploy@${DIGEST}`],
    [{ image: 'registry.example.com:443/team/octopus', version: 'v1_2-3' }, 'registry.example.com:443/team/octopus:v1_2-3'],
  ] as Array<[RawInputs, string]>)('%j gives %s', (raw, image) => {
    expect(accepted({ ...EULA, ...raw }).octopusImage).toBe(image)
  })

  it.each(['OctopusDeploy/OctopusDeploy', 'octopusdeploy/Octopus', 'UPPER', 'has space/x', 'a//b', 'a/b/'])('rejects image %j', (image) => {
    expect(onlyError({ ...EULA, image }, 'image')).toMatch(/lower case/)
  })

  it('rejects an image that has a tag when version is given too', () => {
    const errors = rejected({ ...EULA, image: 'octopusdeploy/octopusdeploy:2024.1', version: '2025.1' })
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^image "octopusdeploy\/octopusdeploy:2024.1" already names a tag/)
    expect(errors[0]).toContain('version is "2025.1"')
  })

  it('rejects an image that has a digest when version is given too', () => {
    expect(rejected({ ...EULA, image: `octopusdeploy/octopusdeploy@${DIGEST}`, version: 'latest' })[0]).toMatch(/already names a tag or digest/)
  })

  it.each(['sha256:xyz', `sha256:${'A'.repeat(64)}`, `sha256:${'a'.repeat(63)}`])('rejects the malformed digest version %j', (version) => {
    expect(onlyError({ ...EULA, version }, 'version')).toMatch(/not a valid digest/)
  })

  it.each(['bad tag', '-leading-dash', 'a'.repeat(129), 'tag/with/slash'])('rejects the version %j', (version) => {
    expect(onlyError({ ...EULA, version }, 'version')).toMatch(/use an image tag/)
  })
})

describe('parseInputs: database', () => {
  it('uses an external database given a connection string', () => {
    expect(accepted({ ...EULA, 'sql-connection-string': ` ${CONN} ` }).database).toEqual({ kind: 'external', connectionString: CONN })
  })

  it.each([
    [{ 'sql-image': 'mcr.microsoft.com/mssql/server:2019-latest' }, 'sql-image', 'that input'],
    [{ 'sql-password': 'Secr3t!Pass' }, 'sql-password', 'that input'],
    [{ 'sql-image': 'mcr.microsoft.com/mssql/server:2019-latest', 'sql-password': 'Secr3t!Pass' }, 'sql-image or sql-password', 'those inputs'],
    [{ database: 'Other' }, 'database', 'that input'],
  ] as Array<[RawInputs, string, string]>)('rejects sql-connection-string with %j, naming both', (extra, names, remove) => {
    const errors = rejected({ ...EULA, 'sql-connection-string': CONN, ...extra })
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain(`sql-connection-string cannot be combined with ${names}`)
    expect(errors[0]).toContain(`remove ${remove}`)
    expect(errors[0]).not.toContain('Secr3t!Pass')
  })

  it.each([
    ['a pair without =', 'Server=db;oops'],
    ['an unclosed quote', 'Server=db;Password="abc;def'],
    ['text after a quoted value', "Server=db;Password='abc' x"],
    ['an empty key', 'Server=db;=x'],
  ])('rejects a connection string with %s', (_label, conn) => {
    expect(onlyError({ ...EULA, 'sql-connection-string': conn }, 'sql-connection-string')).toMatch(/is not a SQL Server connection string/)
  })

  it('rejects a connection string that names no server', () => {
    expect(onlyError({ ...EULA, 'sql-connection-string': 'Database=Octopus;Password=x' }, 'sql-connection-string')).toMatch(/names no server/)
    onlyError({ ...EULA, 'sql-connection-string': 'Server=;Database=Octopus' }, 'sql-connection-string')
  })

  it.each(['Data Source=db', 'ADDRESS=db', 'addr=db', 'Network Address=db'])('accepts the server key in %j', (conn) => {
    expect(accepted({ ...EULA, 'sql-connection-string': conn }).database.kind).toBe('external')
  })

  it('does not echo any part of the password of a malformed connection string', () => {
    // An unquoted password containing ';' is the typical mistake; its tail must not reach the log.
    const errors = rejected({ ...EULA, 'sql-connection-string': 'Server=db;User Id=sa;Password=Abc1;Zq9xPw' })
    for (const e of errors) expect(e).not.toContain('Zq9xPw')
  })

  it('gives a SQL image without a tag the tag latest', () => {
    expect(accepted({ ...EULA, 'sql-image': 'localhost:5000/mssql' }).database).toMatchObject({ image: 'localhost:5000/mssql:latest' })
    expect(accepted({ ...EULA, 'sql-image': `mssql@${DIGEST}` }).database).toMatchObject({ image: `mssql@${DIGEST}` })
  })

  it('rejects a malformed sql-image', () => {
    expect(onlyError({ ...EULA, 'sql-image': 'MSSQL/Server' }, 'sql-image')).toContain('"MSSQL/Server"')
  })

  it('validates the database name', () => {
    expect(accepted({ ...EULA, database: 'Octo_db-1' }).database).toMatchObject({ name: 'Octo_db-1' })
    expect(onlyError({ ...EULA, database: '1db' }, 'database')).toContain('"1db"')
    onlyError({ ...EULA, database: 'a b' }, 'database')
  })
})

describe('parseInputs: registry credentials', () => {
  it('takes both together', () => {
    expect(accepted({ ...EULA, 'registry-username': ' me ', 'registry-password': ' p w ' }).registryAuth).toEqual({ username: 'me', password: ' p w ' })
  })

  it.each([
    [{ 'registry-username': 'me' }],
    [{ 'registry-password': 'TopSecret' }],
  ] as Array<[RawInputs]>)('rejects %j alone', (raw) => {
    const errors = rejected({ ...EULA, ...raw })
    expect(errors).toEqual(['registry-username and registry-password go together: give both, or neither'])
  })
})

describe('parseInputs: license', () => {
  const xml = '<License Signature="abc"><LicensedTo>CI</LicensedTo></License>'
  const b64 = Buffer.from(xml).toString('base64')

  it('base64-encodes raw XML', () => {
    const license = accepted({ ...EULA, license: `\n  ${xml}\n` }).licenseBase64
    expect(license).toBe(b64)
    expect(Buffer.from(license!, 'base64').toString('utf8')).toBe(xml)
  })

  it('keeps base64 of XML, with line breaks removed', () => {
    expect(accepted({ ...EULA, license: b64 }).licenseBase64).toBe(b64)
    const wrapped = b64.replace(/(.{20})/g, '$1\n')
    expect(accepted({ ...EULA, license: wrapped }).licenseBase64).toBe(b64)
  })

  it('accepts base64 of XML that starts with a byte-order mark or whitespace', () => {
    const withBom = Buffer.from(`\uFEFF  ${xml}`).toString('base64')
    expect(accepted({ ...EULA, license: withBom }).licenseBase64).toBe(withBom)
  })

  it.each([
    ['plain text', 'my licence key 1234'],
    ['base64 of text that is not XML', Buffer.from('just some secret text').toString('base64')],
    ['base64 with a bad length', b64.slice(0, -1)],
  ])('rejects %s without echoing it', (_label, license) => {
    const error = onlyError({ ...EULA, license }, 'license')
    expect(error).toMatch(/neither licence XML nor base64/)
    expect(error).not.toContain(license)
  })
})

describe('parseInputs: booleans, names and paths', () => {
  it.each(['cleanup', 'docker-in-docker', 'cache-images'] as const)('%s takes true/false in three spellings and nothing else', (input) => {
    const field = ({ cleanup: 'cleanup', 'docker-in-docker': 'dockerInDocker', 'cache-images': 'cacheImages' } as const)[input]
    for (const t of ['true', 'True', 'TRUE', ' true ']) expect(accepted({ ...EULA, [input]: t })[field]).toBe(true)
    for (const f of ['false', 'False', 'FALSE']) expect(accepted({ ...EULA, [input]: f })[field]).toBe(false)
    for (const bad of ['yes', 'no', '1', 'tRUE', 'on']) expect(onlyError({ ...EULA, [input]: bad }, input)).toContain(`"${bad}": use true or false`)
  })

  it.each(['name', 'upgrade-from'] as const)('%s takes container names of 2 to 60 characters, as the engine does', (input) => {
    const field = input === 'name' ? 'name' : 'upgradeFrom'
    expect(accepted({ ...EULA, [input]: ' octo-1.test_x ' })[field]).toBe('octo-1.test_x')
    expect(accepted({ ...EULA, [input]: 'a'.repeat(60) })[field]).toBe('a'.repeat(60))
    expect(accepted({ ...EULA, [input]: 'ab' })[field]).toBe('ab')
    expect(onlyError({ ...EULA, [input]: 'x' }, input)).toContain('use 2 to 60 characters')
    for (const bad of ['a'.repeat(61), '-lead', '.lead', 'has space', 'slash/name', 'é']) onlyError({ ...EULA, [input]: bad }, input)
  })

  it('name, the host of internal-url, may not end in a dot and digits, which URLs read as an IP address', () => {
    for (const bad of ['my_oct.1', 'octopus.2025', 'a.b.10']) {
      expect(onlyError({ ...EULA, name: bad }, 'name')).toContain(`name is "${bad}": it ends in a dot and digits`)
      expect(() => new URL(`http://${bad}:8080`)).toThrow()
    }
    expect(onlyError({ ...EULA, name: 'ok.' }, 'name')).toContain('name is "ok.": it ends in a dot, which the network does not resolve')
    for (const good of ['octopus-2025', 'octo.v1', 'ci.octopus']) {
      expect(accepted({ ...EULA, name: good }).name).toBe(good)
      expect(new URL(`http://${good}:8080`).hostname).toBe(good)
    }
    expect(accepted({ ...EULA, 'upgrade-from': 'old.1' }).upgradeFrom).toBe('old.1')
  })

  it('validates network names', () => {
    expect(accepted({ ...EULA, network: 'ci_net' }).network).toBe('ci_net')
    onlyError({ ...EULA, network: 'my net' }, 'network')
  })

  it('maps the path inputs to mounts, trimmed', () => {
    const inputs = accepted({
      ...EULA,
      'task-logs-path': ' /tmp/logs ',
      'artifacts-path': '/tmp/artifacts',
      'repository-path': '/tmp/repo',
      'import-path': 'C:\\import',
    })
    expect(inputs.mounts).toEqual({ taskLogs: '/tmp/logs', artifacts: '/tmp/artifacts', repository: '/tmp/repo', import: 'C:\\import' })
    expect(accepted({ ...EULA, 'artifacts-path': '/a' }).mounts).toEqual({ artifacts: '/a' })
  })
})

describe('parseInputs: several problems at once', () => {
  it('reports every bad input, each naming its input', () => {
    const errors = rejected({
      'accept-eula': 'no',
      'host-port': 'abc',
      'polling-port': '0',
      timeout: '-3',
      cleanup: 'yes',
      'sql-password': 'short',
      'master-key': 'garbage',
      env: '=x',
    })
    const named = errors.map((e) => /^([a-z-]+)/.exec(e)?.[1])
    expect(named.sort()).toEqual(['accept-eula', 'cleanup', 'env', 'host-port', 'master-key', 'polling-port', 'sql-password', 'timeout'])
  })

  it('never echoes a secret in any message', () => {
    const secrets = {
      'sql-password': 'Zz9!q',
      'master-key': 'K3yK3yK3yK3y',
      'admin-password': 'Pw!2x',
      license: 'L1cenceL1cence',
    }
    const errors = rejected({ ...secrets, 'accept-eula': 'no', 'registry-password': 'RegSecret9' })
    expect(errors.length).toBeGreaterThanOrEqual(4)
    for (const e of errors) for (const s of [...Object.values(secrets), 'RegSecret9']) expect(e).not.toContain(s)
  })

  it('reports the checks across inputs alongside a bad single input', () => {
    // "Checks every input at once, so one run reports all that is wrong": a missing EULA must not hide
    // that the image clashes with version, the registry credentials are half given and the ports collide.
    const errors = rejected({
      'accept-eula': 'no',
      image: 'octopusdeploy/octopusdeploy:2024.1',
      version: '2025.1',
      'registry-username': 'me',
      'host-port': '10943',
      'polling-port': '10943',
    })
    expect(errors.some((e) => e.startsWith('accept-eula'))).toBe(true)
    expect(errors.some((e) => e.includes('already names a tag'))).toBe(true)
    expect(errors.some((e) => e.startsWith('registry-username and registry-password'))).toBe(true)
    expect(errors.some((e) => e.startsWith('polling-port and host-port'))).toBe(true)
  })
})
