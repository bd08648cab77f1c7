// Runs the bundled action the way the GitHub runner does: INPUT_* variables, the GITHUB_OUTPUT,
// GITHUB_STATE and GITHUB_STEP_SUMMARY files, and STATE_* variables for the post step.
// Used by `npm run local` and by the end-to-end tests.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const ENTRY = path.join(ROOT, 'dist', 'index.js')

/** Parses a runner file command (`key=value` lines and `key<<DELIMITER` blocks); later keys win. */
export function parseFileCommand(text) {
  const values = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (!line) continue
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, key, delimiter] = heredoc
      const body = []
      for (i++; i < lines.length && lines[i] !== delimiter; i++) body.push(lines[i])
      values[key] = body.join('\n')
      continue
    }
    const eq = line.indexOf('=')
    if (eq > 0) values[line.slice(0, eq)] = line.slice(eq + 1)
  }
  return values
}

/** The environment variable the runner sets for an input: INPUT_ + upper case, spaces as underscores. */
export function inputVariable(name) {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

/**
 * Starts one step (main or post) of the bundled action. Returns the child and a promise of what the
 * step left behind: exit code, stdout, stderr, outputs, state and summary.
 */
export function startStep({ phase = 'main', inputs = {}, state = {}, env = {}, node = process.execPath, entry = ENTRY, workDir, onOutput, detached = false } = {}) {
  const dir = workDir ?? mkdtempSync(path.join(tmpdir(), `octopus-action-${phase}-`))
  const files = {
    GITHUB_OUTPUT: path.join(dir, `${phase}-output`),
    GITHUB_STATE: path.join(dir, `${phase}-state`),
    GITHUB_STEP_SUMMARY: path.join(dir, `${phase}-summary`),
  }
  for (const file of Object.values(files)) writeFileSync(file, '')
  const childEnv = { ...process.env, GITHUB_ACTIONS: 'true', RUNNER_TEMP: dir, GITHUB_WORKSPACE: process.env.GITHUB_WORKSPACE ?? dir, ...files }
  for (const key of Object.keys(childEnv)) if (key.startsWith('INPUT_') || key.startsWith('STATE_')) delete childEnv[key]
  for (const [name, value] of Object.entries(inputs)) childEnv[inputVariable(name)] = value
  for (const [key, value] of Object.entries(state)) childEnv[`STATE_${key}`] = value
  Object.assign(childEnv, env)

  // detached: a process group of its own, so a Ctrl-C in the terminal reaches only the caller, which decides.
  const child = spawn(node, [entry], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], detached })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => {
    stdout += d
    onOutput?.(String(d))
  })
  child.stderr.on('data', (d) => {
    stderr += d
    onOutput?.(String(d))
  })
  const done = new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => {
      const read = (f) => readFileSync(f, 'utf8')
      resolve({
        exitCode: code,
        signal,
        stdout,
        stderr,
        outputs: parseFileCommand(read(files.GITHUB_OUTPUT)),
        state: parseFileCommand(read(files.GITHUB_STATE)),
        stateText: read(files.GITHUB_STATE),
        summary: read(files.GITHUB_STEP_SUMMARY),
        dir,
      })
    })
  })
  return { child, done, dir }
}

export function runStep(options) {
  return startStep(options).done
}
