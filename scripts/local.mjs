#!/usr/bin/env node
// Runs the action's main step on this machine's Docker engine with the same code and inputs as the
// workflow step, prints its outputs, then runs the post step when you press Ctrl-C (or at once with --down).
//
//   npm run local -- --accept-eula Y [--version 2025.2.0] [--stand-ins] [--down] [--<input> <value> ...]
//
// --stand-ins points image and sql-image at the project's test fixtures in the local registry (for
// machines that cannot reach Docker Hub) and builds them first.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { ENTRY, ROOT, startStep } from './action-runner.mjs'

const STAND_INS = {
  image: 'localhost:5000/fixtures/octopus-standin',
  'sql-image': 'localhost:5000/fixtures/mssql-standin:2022-latest',
}
const SECRET_OUTPUTS = new Set(['admin-password', 'api-key', 'master-key', 'sql-connection-string'])
const LEFTOVERS = 'docker ps -a --filter label=io.octopus-server-action.managed (and the same filter on docker network ls, docker volume ls)'

/** The input names of action.yml: the keys two spaces in under `inputs:`. */
function actionInputs() {
  const yml = readFileSync(path.join(ROOT, 'action.yml'), 'utf8')
  const section = /^inputs:\n((?:(?: .*)?\n)*)/m.exec(yml)?.[1] ?? ''
  return [...section.matchAll(/^ {2}([a-z0-9-]+):/gm)].map((m) => m[1])
}

function editDistance(a, b) {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const next = [i]
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    row = next
  }
  return row[b.length]
}

const FLAGS = { 'stand-ins': 'standIns', down: 'down', 'show-secrets': 'showSecrets', help: 'help' }

/**
 * Inputs (`--<input> <value>`, as in action.yml) and this script's own flags. The runner only warns about an
 * input action.yml does not have; here a typo stops the run before it starts, naming the nearest name.
 */
function parseArgs(argv) {
  const known = actionInputs()
  const inputs = {}
  const flags = { standIns: false, down: false, showSecrets: false, help: false }
  const unknown = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '-h') flags.help = true
    else if (arg.startsWith('--') && arg.slice(2) in FLAGS) flags[FLAGS[arg.slice(2)]] = true
    else if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split(/=(.*)/s)
      if (!known.includes(name)) {
        unknown.push(name)
        if (inline === undefined && argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) i++
        continue
      }
      const value = inline ?? argv[++i]
      if (value === undefined) throw new Error(`--${name} needs a value`)
      inputs[name] = value
    } else throw new Error(`Unexpected argument "${arg}": inputs are given as --name value`)
  }
  if (unknown.length && !flags.help) {
    const names = [...known, ...Object.keys(FLAGS)]
    const problems = unknown.map((name) => {
      const near = names.filter((k) => editDistance(name, k) <= 2)
      return `--${name} is not an input of this action${near.length ? `: did you mean --${near.join(' or --')}?` : ''}`
    })
    throw new Error(`${problems.join('\n')}\nThe inputs are: ${known.join(', ')} (see action.yml); the flags: --${Object.keys(FLAGS).join(', --')}`)
  }
  return { inputs, flags }
}

function sh(script, args = []) {
  execFileSync('bash', [path.join(ROOT, script), ...args], { stdio: 'inherit' })
}

const unescape = (text) => text.replace(/%0A/g, '\n').replace(/%0D/g, '').replace(/%25/g, '%')

/**
 * Shows the runner's workflow commands as a person reads them: `::error::a%0Ab` becomes two lines. As the
 * runner does, `::add-mask::` lines are not shown and their values print as *** from then on.
 */
function humanOutput() {
  let partial = ''
  const masks = []
  const mask = (line) => masks.reduce((shown, secret) => shown.split(secret).join('***'), line)
  return (text) => {
    const lines = (partial + text).split('\n')
    partial = lines.pop() ?? ''
    for (let line of lines) {
      const secret = /^::add-mask::(.*)$/.exec(line)
      if (secret) {
        if (secret[1]) masks.push(unescape(secret[1]))
        masks.sort((a, b) => b.length - a.length) // a longer secret that contains a shorter one goes first
        continue
      }
      if (line === '::endgroup::') continue
      const group = /^::group::(.*)$/.exec(line)
      const command = /^::(error|warning|notice)::(.*)$/.exec(line)
      if (group) line = `== ${group[1]}`
      process.stdout.write(`${mask(unescape(command ? `${command[1].toUpperCase()}: ${command[2]}` : line))}\n`)
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
  // A closed pipe or terminal must not end this script before the post step has run.
  process.stdout.on('error', () => {})
  const show = humanOutput()
  // The steps run in process groups of their own, so a Ctrl-C reaches only this script, which passes it
  // on. Ctrl-C or SIGTERM while the server starts: the main step is cancelled (it removes what it made),
  // then the post step runs. After start-up, either one ends the wait below. During the post step more
  // of them change nothing: it always runs to the end.
  let stoppedBy
  let cleaning = false
  let onStop = () => {}
  const stopped = new Promise((resolve) => (onStop = resolve))
  const step = startStep({ phase: 'main', inputs, env, onOutput: show, detached: true })
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (cleaning) return console.log(`(${signal}: the post step is removing the server; it finishes on its own)`)
      stoppedBy ??= signal
      if (step.child.exitCode === null && step.child.signalCode === null) step.child.kill('SIGINT')
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
  cleaning = true
  const post = await startStep({ phase: 'post', state: result.state, env, onOutput: show, detached: true }).done
  // The step folders hold the outputs and state, secrets included.
  for (const dir of [result.dir, post.dir]) rmSync(dir, { recursive: true, force: true })
  if (post.exitCode !== 0) console.log(`The post step did not finish (${post.signal ?? `exit ${post.exitCode}`}); look for what is left with ${LEFTOVERS}`)
  process.exitCode = (result.exitCode ?? 1) || (post.exitCode ?? 1)
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e)
  process.exitCode = 1
})
