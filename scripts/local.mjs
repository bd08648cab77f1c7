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
import { ENTRY, ROOT, startStep, runStep } from './action-runner.mjs'

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

/** Shows the runner's workflow commands as a person reads them: `::error::a%0Ab` becomes two lines. */
function humanOutput() {
  let partial = ''
  return (text) => {
    const lines = (partial + text).split('\n')
    partial = lines.pop() ?? ''
    for (const line of lines) {
      const command = /^::(error|warning|notice)::(.*)$/.exec(line)
      const shown = command ? `${command[1].toUpperCase()}: ${command[2]}` : line
      process.stdout.write(`${shown.replace(/%0A/g, '\n').replace(/%0D/g, '').replace(/%25/g, '%')}\n`)
    }
  }
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
  // With DOCKER_HOST set, the engine is the user's: the action itself says if it does not answer.
  if (!process.env.DOCKER_HOST) sh('scripts/ensure-docker.sh')
  if (flags.standIns) {
    sh('test/fixtures/setup.sh')
    inputs.image ??= STAND_INS.image
    if (!inputs['sql-connection-string']) inputs['sql-image'] ??= STAND_INS['sql-image']
  }
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run npm ci && npm run build`)

  const env = { GITHUB_WORKSPACE: process.cwd() }
  const show = humanOutput()
  // Ctrl-C or SIGTERM while the server starts: the main step is cancelled (it removes what it made),
  // then the post step runs. After start-up, either one ends the wait below.
  let stoppedBy
  let onStop = () => {}
  const stopped = new Promise((resolve) => (onStop = resolve))
  const step = startStep({ phase: 'main', inputs, env, onOutput: show })
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      stoppedBy ??= signal
      if (step.child.exitCode === null) step.child.kill('SIGINT')
      onStop()
    })
  }
  const result = await step.done
  if (result.exitCode === 0 && !stoppedBy) {
    console.log('\nOutputs:')
    for (const [key, value] of Object.entries(result.outputs)) {
      console.log(`  ${key.padEnd(22)} ${SECRET_OUTPUTS.has(key) && !flags.showSecrets ? '*** (--show-secrets prints it)' : value}`)
    }
    if (!flags.down) {
      console.log('\nThe server keeps running. Press Ctrl-C to run the post step and remove it.')
      // A signal listener alone does not keep node running; this timer does, until the signal comes.
      const keepAlive = setInterval(() => {}, 1 << 30)
      await stopped
      clearInterval(keepAlive)
    }
  }
  console.log('\nRunning the post step...')
  const post = await runStep({ phase: 'post', state: result.state, env, onOutput: show })
  process.exitCode = result.exitCode || post.exitCode || 0
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e)
  process.exitCode = 1
})
