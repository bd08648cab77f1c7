import { spawn } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../../scripts/action-runner.mjs'
import { labelled } from './harness.js'
import { FIXTURES } from '../fixtures/images.js'

// `npm run local`, the README's way to start a server by hand: what a person sees in the terminal.

const STAND_IN_ARGS = ['--accept-eula', 'Y', '--image', FIXTURES.octopus.repository, '--sql-image', FIXTURES.sql.image]

interface Local {
  output: () => string
  /** A signal to the whole process group, as a terminal's Ctrl-C sends it. */
  interrupt: (signal?: NodeJS.Signals) => void
  /** Stops reading the output, as `| head` does once it has its lines. */
  closeOutput: () => void
  done: Promise<number | null>
}

function local(args: string[]): Local {
  // A process group of its own, led by the script, as a terminal would start it.
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts/local.mjs'), ...args], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  return {
    output: () => output,
    interrupt: (signal = 'SIGINT') => process.kill(-child.pid!, signal),
    closeOutput: () => child.stdout.destroy(),
    done,
  }
}

function until(l: Local, text: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms
  return new Promise((resolve, reject) => {
    const check = setInterval(() => {
      if (l.output().includes(text)) resolve()
      else if (Date.now() > deadline) reject(new Error(`no "${text}" within ${ms} ms:\n${l.output()}`))
      else return
      clearInterval(check)
    }, 25)
  })
}

const outputOf = (text: string, key: string) => new RegExp(`^  ${key} +(.+)$`, 'm').exec(text)?.[1]

const leftoversOf = (instance: string) => labelled(`io.octopus-server-action.instance=${instance}`)

describe.concurrent('the local runner (npm run local)', () => {
  it('prints the outputs with secrets as ***, never the mask commands or a secret in clear, and removes everything with --down', async () => {
    const run = local([...STAND_IN_ARGS, '--down', '--show-secrets'])
    expect(await run.done, run.output()).toBe(0)
    const text = run.output()
    const [log, outputs] = text.split('\nOutputs:\n') as [string, string]
    expect(outputs).toBeDefined()
    expect(text).not.toContain('::add-mask::')
    const secrets = ['api-key', 'admin-password', 'master-key'].map((key) => outputOf(outputs, key))
    for (const secret of secrets) {
      expect(secret).toMatch(/\S{8,}/)
      expect(log, 'the log before the outputs shows no secret').not.toContain(secret)
    }
    expect(await leftoversOf(outputOf(outputs, 'container-name')!)).toEqual([])
  })

  it('refuses an input action.yml does not have, naming the nearest one, before anything starts', async () => {
    const run = local([...STAND_IN_ARGS, '--hostport', '8080'])
    expect(await run.done).toBe(1)
    expect(run.output()).toContain('--hostport is not an input of this action: did you mean --host-port?')
    expect(run.output()).not.toContain('Pulling')
  })

  it("names this script's own flag when one is misspelt", async () => {
    const run = local([...STAND_IN_ARGS, '--show-secret', '--down'])
    expect(await run.done).toBe(1)
    expect(run.output()).toContain('--show-secret is not an input of this action: did you mean --show-secrets?')
  })

  it('runs the post step when the output pipe closes early and the terminal hangs up, and leaves nothing', async () => {
    const run = local([...STAND_IN_ARGS, '--name', `local-hangup-${process.pid}`])
    await until(run, 'Press Ctrl-C to run the post step')
    run.closeOutput()
    run.interrupt('SIGHUP')
    expect(await run.done).toBe(0)
    expect(await leftoversOf(`local-hangup-${process.pid}`)).toEqual([])
  })

  it('finishes the post step when Ctrl-C comes twice in a row, and leaves nothing', async () => {
    const run = local([...STAND_IN_ARGS, '--name', `local-runner-${process.pid}`])
    await until(run, 'Press Ctrl-C to run the post step')
    run.interrupt()
    await until(run, 'Running the post step')
    run.interrupt() // while the post step loads: it runs in its own process group and is not hit
    expect(await run.done, run.output()).toBe(0)
    expect(run.output()).toContain('the post step is removing the server; it finishes on its own')
    expect(run.output()).toMatch(/^ {2}api-key +\*\*\* \(--show-secrets prints it\)$/m)
    expect(await leftoversOf(`local-runner-${process.pid}`)).toEqual([])
  })
})
