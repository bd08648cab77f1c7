import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatConnectionString } from '../../src/connection-string.js'
import { parseImageReference } from '../../src/image-reference.js'
import { INPUT_NAMES, parseInputs, type InputName, type RawInputs } from '../../src/inputs.js'

/** An error names an input when the name stands alone (not as part of a longer input name such as sql-image). */
const NAMES_AN_INPUT = new RegExp(`(?:^|[^a-z-])(?:${INPUT_NAMES.join('|')})(?:$|[^a-z-])`)
function namesAnInput(error: string): boolean {
  return NAMES_AN_INPUT.test(error)
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message)
}

const spaced = (arb: fc.Arbitrary<string>) =>
  fc.tuple(fc.constantFrom('', ' ', '\t', '\n', '  '), arb, fc.constantFrom('', ' ', '\r\n', '\n')).map(([a, v, b]) => a + v + b)

const quoted = (arb: fc.Arbitrary<string>) =>
  fc.tuple(fc.constantFrom('', '"', "'"), arb, fc.constantFrom('', '"', "'")).map(([a, v, b]) => a + v + b)

/** Values close to valid ones, so the property reaches past the first check of each input. */
const nearValid: Record<InputName, fc.Arbitrary<string>> = {
  version: fc.oneof(
    fc.constantFrom('latest', '2025.2.0', 'sha256:' + 'a'.repeat(64), 'sha256:xyz', '-x', 'v1:2'),
    fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,130}$/),
  ),
  image: fc.oneof(
    fc.constantFrom('octopusdeploy/octopusdeploy', 'localhost:5000/a/b', 'octopusdeploy/octopusdeploy:2024.1', 'Octopus/Deploy', 'a@sha256:' + 'b'.repeat(64)),
    fc.stringMatching(/^([a-z0-9.:-]{1,10}\/)?[a-z0-9._-]{1,12}(\/[a-zA-Z0-9._-]{1,8})?(:[A-Za-z0-9_.-]{1,8})?$/),
  ),
  'accept-eula': quoted(fc.mixedCase(fc.constantFrom('y', 'yes', 'true', 'n', 'no', ''))),
  'admin-username': fc.stringMatching(/^[a-z ]{0,70}$/),
  'admin-password': fc.string({ maxLength: 20 }),
  'admin-email': fc.constantFrom('a@b', 'x', 'me@example.com', '@', 'a@'),
  'master-key': fc.uint8Array({ minLength: 14, maxLength: 18 }).map((b) => Buffer.from(b).toString('base64')),
  license: fc.oneof(
    fc.string().map((s) => `<License>${s}</License>`),
    fc.string().map((s) => Buffer.from(`<License>${s}</License>`).toString('base64')),
    fc.base64String(),
  ),
  'sql-connection-string': fc.oneof(
    fc
      .array(fc.tuple(fc.constantFrom('Server', 'Password', 'pwd', 'Database', 'Data Source', 'User Id'), fc.string({ maxLength: 12 })), { maxLength: 5 })
      .map((pairs) => formatConnectionString(pairs)),
    fc.array(fc.constantFrom('Server=x', ';', '=', '"', "'", 'Password', ' ', 'a'), { maxLength: 12 }).map((parts) => parts.join('')),
  ),
  'sql-image': fc.constantFrom('mcr.microsoft.com/mssql/server:2022-latest', 'localhost:5000/mssql', 'BAD IMAGE', 'mssql'),
  'sql-password': fc.oneof(fc.string({ minLength: 6, maxLength: 12 }), fc.stringMatching(/^[A-Za-z0-9!]{7,10}$/), fc.constant('Aa1!'.repeat(33))),
  database: fc.stringMatching(/^[A-Za-z0-9_ -]{0,20}$/),
  'host-port': fc.oneof(fc.integer({ min: -5, max: 70_000 }).map(String), fc.constantFrom('1.5', '0x10', '1e3', '10943')),
  'polling-port': fc.oneof(fc.integer({ min: -5, max: 70_000 }).map(String), fc.constantFrom('0', '10943')),
  name: fc.stringMatching(/^[a-zA-Z0-9_. -]{0,65}$/),
  network: fc.stringMatching(/^[a-zA-Z0-9_. -]{0,20}$/),
  'task-logs-path': fc.string(),
  'artifacts-path': fc.string(),
  'repository-path': fc.string(),
  'import-path': fc.string(),
  env: fc
    .array(fc.oneof(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}=.{0,10}$/), fc.constantFrom('#c', '', '=x', '1A=b', 'novalue', ' K = v ')), { maxLength: 6 })
    .map((lines) => lines.join('\n')),
  timeout: fc.oneof(fc.double({ noNaN: false }).map(String), fc.constantFrom('0', '-3', '1.5', 'abc', '9'.repeat(400))),
  pull: fc.mixedCase(fc.constantFrom('always', 'missing', 'never', 'sometimes', '')),
  'registry-username': fc.constantFrom('', 'me', ' '),
  'registry-password': fc.constantFrom('', 'pw', ' '),
  cleanup: fc.constantFrom('true', 'True', 'FALSE', 'yes', '', '1'),
  'docker-in-docker': fc.constantFrom('true', 'false', 'no', ''),
  'upgrade-from': fc.stringMatching(/^[a-z0-9-]{0,62}$/),
  'cache-images': fc.constantFrom('true', 'false', 'on', ''),
}

/** Huge values are rare per input (about one record in five has one), so thousands of runs stay fast. */
const hostile = fc.oneof(
  { arbitrary: fc.string(), weight: 12 },
  { arbitrary: fc.string({ unit: 'grapheme' }), weight: 8 },
  { arbitrary: fc.string({ unit: 'binary' }), weight: 8 },
  { arbitrary: fc.array(fc.constantFrom('"', "'", '\n', '\r\n', ';', '=', '#', '\\', '\u0000', '\u2028', '\uFEFF', 'é', '😀', ' '), { maxLength: 20 }).map((a) => a.join('')), weight: 8 },
  { arbitrary: fc.tuple(fc.constantFrom('a', '<', 'A=', '9', ' ', 'é😀"'), fc.integer({ min: 10_000, max: 100_000 })).map(([c, n]) => c.repeat(n)), weight: 1 },
)

function valueFor(name: InputName): fc.Arbitrary<string> {
  return fc.oneof({ arbitrary: spaced(nearValid[name]), weight: 3 }, { arbitrary: nearValid[name], weight: 3 }, { arbitrary: hostile, weight: 2 })
}

const rawInputs: fc.Arbitrary<RawInputs> = fc.record(
  Object.fromEntries(INPUT_NAMES.map((n) => [n, valueFor(n)])) as Record<InputName, fc.Arbitrary<string>>,
  { requiredKeys: [] },
)

/** Mostly near-valid records with the EULA accepted, so many runs get past the field checks. */
const mostlyValid: fc.Arbitrary<RawInputs> = fc
  .tuple(
    fc.subarray([...INPUT_NAMES], { maxLength: 6 }),
    fc.record(Object.fromEntries(INPUT_NAMES.map((n) => [n, nearValid[n]])) as Record<InputName, fc.Arbitrary<string>>),
  )
  .map(([names, values]) => {
    const raw: RawInputs = { 'accept-eula': 'Y' }
    for (const n of names) raw[n] = values[n]
    return raw
  })

// Thousands of runs take a second or two alone, longer on a busy two-core runner: allow for that.
describe('parseInputs property', { timeout: 30_000 }, () => {
  it('never throws; returns inputs or non-empty errors that each name an input', () => {
    let accepted = 0
    fc.assert(
      fc.property(fc.oneof(rawInputs, mostlyValid), (raw) => {
        const result = parseInputs(raw)
        if (result.ok) {
          accepted++
          const inputs = result.inputs
          check(Object.keys(result).join() === 'ok,inputs', 'an accepted result has only ok and inputs')
          // What was accepted is usable as is.
          const eula = raw['accept-eula']!.trim().replace(/^(["'])(.*)\1$/, '$2').trim().toLowerCase()
          check(['y', 'yes', 'true'].includes(eula), `accepted with accept-eula ${JSON.stringify(raw['accept-eula'])}`)
          const image = parseImageReference(inputs.octopusImage)
          check(image !== undefined && Boolean(image.tag || image.digest), `octopusImage ${inputs.octopusImage} is a tagged reference`)
          if (inputs.database.kind === 'container') check(parseImageReference(inputs.database.image) !== undefined, `sql image ${inputs.database.image}`)
          check(Number.isInteger(inputs.hostPort) && inputs.hostPort >= 0 && inputs.hostPort <= 65535, `hostPort ${inputs.hostPort}`)
          check(inputs.pollingPort === undefined || inputs.pollingPort !== inputs.hostPort, 'polling and host ports differ')
          check(inputs.timeoutSeconds > 0, `timeout ${inputs.timeoutSeconds}`)
          check(['always', 'missing', 'never'].includes(inputs.pull), `pull ${inputs.pull}`)
          for (const [key] of inputs.extraEnv) check(/^[A-Za-z_][A-Za-z0-9_]*$/.test(key), `env key ${key}`)
        } else {
          check(Object.keys(result).join() === 'ok,errors', 'a rejected result has only ok and errors')
          check(Array.isArray(result.errors) && result.errors.length > 0, 'errors is a non-empty array')
          for (const e of result.errors) check(typeof e === 'string' && namesAnInput(e), `error names no input: ${JSON.stringify(e)}`)
        }
      }),
      { numRuns: 3000 },
    )
    // The generators must reach the accepting branch too, or the property says little about it.
    expect(accepted).toBeGreaterThan(100)
  })

  it('never puts a secret value into an error message', () => {
    const MARK = 'Qx7Secret'
    const secret = fc.string({ maxLength: 10 }).map((s) => `${MARK}${s}`)
    const secretInputs = ['sql-password', 'master-key', 'admin-password', 'license', 'registry-password'] as const
    fc.assert(
      fc.property(
        rawInputs,
        fc.subarray([...secretInputs], { minLength: 1 }),
        fc.array(secret, { minLength: secretInputs.length, maxLength: secretInputs.length }),
        (raw, chosen, values) => {
          const withSecrets: RawInputs = { ...raw }
          // No other input may carry the mark, so any echo of it comes from a secret.
          for (const n of INPUT_NAMES) if (withSecrets[n]?.includes(MARK)) delete withSecrets[n]
          chosen.forEach((n, i) => (withSecrets[n] = values[i]!))
          const result = parseInputs(withSecrets)
          if (!result.ok) for (const e of result.errors) check(!e.includes(MARK), `secret echoed: ${JSON.stringify(e)}`)
        },
      ),
      { numRuns: 1000 },
    )
  })
})
