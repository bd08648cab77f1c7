#!/usr/bin/env node
// Runs the action's main step on this machine's Docker engine with the same code and inputs as the
// workflow step, prints its outputs, then runs the post step when you press Ctrl-C (or at once with --down).
//
//   npm run local -- --accept-eula Y [--version 2025.2.0] [--stand-ins] [--down] [--<input> <value> ...]
//
// --stand-ins points image and sql-image at the project's test fixtures in the local registry (for
// machines that cannot reach Docker Hub) and builds them first.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { ENTRY, ROOT, runStep } from './action-runner.mjs'

const STAND_INS = {
  image: 'localhost:5000/fixtures/octopus-standin',
  'sql-image': 'localhost:5000/fixtures/mssql-standin:2022-latest',
}
const SECRET_OUTPUTS = new Set(['admin-password', 'api-key', 'master-key', 'sql-connection-string'])

function parseArgs(argv) {
  const inputs = {}
  const flags = { standIns: false, down: false, showSecrets: false }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--stand-ins') flags.standIns = true
    else if (arg === '--down') flags.down = true
    else if (arg === '--show-secrets') flags.showSecrets = true
    else if (arg === '--help' || arg === '-h') flags.help = true
    else if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split(/=(.*)/s)
      const value = inline ?? argv[++i]
      if (value === undefined) throw new Error(`--${name} needs a value`)
      inputs[name] = value
    } else throw new Error(`Unexpected argument "${arg}": inputs are given as --name value`)
  }
  return { inputs, flags }
}

function sh(script, args = []) {
  execFileSync('bash', [path.join(ROOT, script), ...args], { stdio: 'inherit' })
}

async function main() {
  const { inputs, flags } = parseArgs(process.argv.slice(2))
  if (flags.help) {
    console.log(
      'Usage: npm run local -- --accept-eula Y [--stand-ins] [--down] [--show-secrets] [--<input> <value> ...]\n' +
        'Inputs are those of action.yml. --stand-ins uses the test fixture images from the local registry.\n' +
        '--down removes the server right after printing its outputs; otherwise Ctrl-C does.',
    )
    return
  }
  sh('scripts/ensure-docker.sh')
  if (flags.standIns) {
    sh('test/fixtures/setup.sh')
    for (const [k, v] of Object.entries(STAND_INS)) inputs[k] ??= v
  }
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run npm ci && npm run build`)

  const env = { GITHUB_WORKSPACE: process.cwd() }
  let interrupted = false
  const main = runStep({ phase: 'main', inputs, env, onOutput: (text) => process.stdout.write(text) })
  // Ctrl-C reaches the action too (same process group), which then cancels and removes what it made.
  process.on('SIGINT', () => {
    interrupted = true
  })
  const result = await main
  if (result.exitCode === 0 && !interrupted) {
    console.log('\nOutputs:')
    for (const [key, value] of Object.entries(result.outputs)) {
      console.log(`  ${key.padEnd(22)} ${SECRET_OUTPUTS.has(key) && !flags.showSecrets ? '*** (--show-secrets prints it)' : value}`)
    }
    if (!flags.down) {
      console.log('\nThe server keeps running. Press Ctrl-C to run the post step and remove it.')
      await new Promise((resolve) => process.once('SIGINT', resolve))
    }
  }
  console.log('\nRunning the post step...')
  const post = await runStep({ phase: 'post', state: result.state, env, onOutput: (text) => process.stdout.write(text) })
  process.exitCode = result.exitCode || post.exitCode || 0
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e)
  process.exitCode = 1
})
