import * as core from '@actions/core'
import { INPUT_NAMES, SECRET_INPUTS, parseInputs, type ActionInputs, type RawInputs } from './inputs.js'
import { parseConnectionString, passwordOf } from './connection-string.js'

/** All of the inputs' problems at once, each naming its input and the rule. */
export class InputError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? (problems[0] as string) : `${problems.length} inputs are wrong:\n- ${problems.join('\n- ')}`)
    this.name = 'InputError'
  }
}

/** Below this length a value is not masked: masking "x" would hide every x in the log. */
const SHORTEST_MASKED = 4

/** Masks a secret in every later line of the log; multi-line values are masked line by line too. */
export function maskSecret(value: string | undefined): void {
  if (!value || value.length < SHORTEST_MASKED) return
  core.setSecret(value)
  const lines = value.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length >= SHORTEST_MASKED)
  if (lines.length > 1) for (const line of lines) core.setSecret(line)
}

function readRawInputs(): RawInputs {
  const raw: RawInputs = {}
  for (const name of INPUT_NAMES) {
    // Secrets are kept as typed: a password may begin or end with a space.
    raw[name] = core.getInput(name, { trimWhitespace: !SECRET_INPUTS.includes(name) })
  }
  return raw
}

/** Reads, masks and validates every input before anything touches Docker. */
export function getInputs(): ActionInputs {
  const raw = readRawInputs()
  for (const name of SECRET_INPUTS) maskSecret(raw[name])
  const connection = raw['sql-connection-string']
  if (connection) {
    try {
      maskSecret(passwordOf(parseConnectionString(connection)))
    } catch {
      // A malformed string is reported by validation below; the whole string is masked already.
    }
  }
  const result = parseInputs(raw)
  if (!result.ok) throw new InputError(result.errors)
  maskSecret(result.inputs.licenseBase64)
  return result.inputs
}
