import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import net from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import type { StepResult } from '../../scripts/action-runner.mjs'
import { FIXTURES } from '../fixtures/images.js'
import { cleanUp, docker, errorOf, getJson, leftovers, runMain, runPost, secretLeaks, startMain, STANDIN_INPUTS } from './harness.js'

// Issue #4, Faults and Secrets: every case runs the bundled dist/ against the real engine.

/** Runs the main step and measures how long it took. */
async function timedMain(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<{ main: StepResult; ms: number }> {
  const started = performance.now()
  const main = await runMain(inputs, env)
  return { main, ms: performance.now() - started }
}

/**
 * The step failed as the runner shows it (exit 1, an ::error:: annotation with each expected piece), the
 * failed main step already removed what it made, and the post step after it exits 0 and leaves nothing.
 * Returns the error text and the post step's result.
 */
async function expectCleanFailure(
  main: StepResult,
  expected: Array<string | RegExp>,
  postEnv: Record<string, string> = {},
): Promise<{ error: string; post: StepResult }> {
  const output = `${main.stdout}\n${main.stderr}`
  expect(main.exitCode, output).toBe(1)
  const error = errorOf(main)
  // FAULTS_SHOW=1 prints each error, to read what users would see.
  if (process.env.FAULTS_SHOW) console.log(`----- ${main.state.runId}\n${error}`)
  expect(error, output).not.toBe('')
  for (const piece of expected) {
    if (typeof piece === 'string') expect(error).toContain(piece)
    else expect(error).toMatch(piece)
  }
  const runId = main.state.runId
  if (runId) expect(await leftovers(runId), 'the failed main step removed what it made').toEqual([])
  const post = await runPost(main, postEnv)
  expect(post.exitCode, post.stdout + post.stderr).toBe(0)
  if (runId) expect(await leftovers(runId)).toEqual([])
  return { error, post }
}

/**
 * A free port below the kernel's ephemeral range (32768-60999), which is where the engine picks ports for
 * `host-port: 0`: a port held by a test there could be handed to another test's container meanwhile.
 */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 10000)
    const server = net.createServer()
    const ok = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false))
      server.listen(port, '0.0.0.0', () => resolve(true))
    })
    if (ok) {
      await closed(server)
      return port
    }
  }
}

/** A server holding `port` (0: one the kernel picks) on `host` until closed; it accepts and never answers. */
async function listening(port: number, host = '0.0.0.0'): Promise<net.Server> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(port, host, resolve))
  return server
}

const closed = (server: net.Server) => new Promise((resolve) => server.close(resolve))

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64')
const newMasterKey = () => randomBytes(16).toString('base64')
/** The stand-in inputs without the SQL container's image, for an external database. */
const { 'sql-image': _sqlImage, ...OCTOPUS_ONLY } = STANDIN_INPUTS
const VALID_LICENCE = b64('<License Signature="faults-test"><LicensedTo>Faults test</LicensedTo></License>')

describe.concurrent('no Docker engine at DOCKER_HOST', () => {
  it('names DOCKER_HOST and the socket path when no engine listens there', async () => {
    const env = { DOCKER_HOST: 'unix:///nonexistent.sock' }
    const { main } = await timedMain({ ...STANDIN_INPUTS }, env)
    await expectCleanFailure(main, ['DOCKER_HOST', 'unix:///nonexistent.sock', 'No Docker engine answered'], env)
    expect(main.stdout).not.toContain('Pulling')
  })

  it('refuses an ssh:// DOCKER_HOST before connecting: the engine must run on the runner', async () => {
    const env = { DOCKER_HOST: 'ssh://builder@engine.example.invalid' }
    const { main, ms } = await timedMain({ ...STANDIN_INPUTS }, env)
    expect(main.exitCode, main.stdout + main.stderr).toBe(1)
    expect(errorOf(main)).toContain('DOCKER_HOST is ssh://builder@engine.example.invalid, an engine reached over SSH')
    expect(errorOf(main)).toContain('Unset DOCKER_HOST, or point it at the local engine')
    expect(main.state.runId ?? '').toBe('')
    expect(ms).toBeLessThan(5_000)
    const post = await runPost(main, env)
    expect(post.exitCode).toBe(0)
    expect(post.stdout).toContain('made nothing to remove')
  })

  it('says a DOCKER_HOST that is not an address is not one, before anything', async () => {
    const env = { DOCKER_HOST: 'not a url' }
    const { main } = await timedMain({ ...STANDIN_INPUTS }, env)
    expect(main.exitCode, main.stdout + main.stderr).toBe(1)
    expect(errorOf(main)).toContain('DOCKER_HOST is "not a url", which is not an engine address')
    expect(main.state.runId ?? '').toBe('')
  })

  it('gives up after 15 s on an address that accepts connections and never answers', async () => {
    const silent = await listening(0, '127.0.0.1')
    const env = { DOCKER_HOST: `tcp://127.0.0.1:${(silent.address() as net.AddressInfo).port}` }
    try {
      const { main, ms } = await timedMain({ ...STANDIN_INPUTS }, env)
      expect(main.exitCode, main.stdout + main.stderr).toBe(1)
      expect(errorOf(main)).toContain(`No Docker engine answered at ${env.DOCKER_HOST} (from DOCKER_HOST): no answer within 15 s`)
      expect(ms).toBeLessThan(25_000)
    } finally {
      silent.close() // not awaited: close waits for the step's connection, which this server never ends
    }
  })

  it('names DOCKER_HOST and the address when a TCP port is closed', async () => {
    const port = await freePort()
    const env = { DOCKER_HOST: `tcp://127.0.0.1:${port}` }
    const { main, ms } = await timedMain({ ...STANDIN_INPUTS }, env)
    await expectCleanFailure(main, ['DOCKER_HOST', `tcp://127.0.0.1:${port}`, 'No Docker engine answered'], env)
    expect(ms).toBeLessThan(15_000)
  })
})

describe.concurrent('images that cannot be had', () => {
  it('says which image and tag the registry does not have', async () => {
    const { main } = await timedMain({ ...STANDIN_INPUTS, version: '9999.9.9' })
    const { error } = await expectCleanFailure(main, [`${FIXTURES.octopus.repository}:9999.9.9`, 'was not found at localhost:5000'])
    expect(error, 'the SQL log has nothing to say about a missing image').not.toContain('Last log lines')
    expect(main.stdout, 'no container starts for an image that does not exist').not.toMatch(/\[sql\] .* started/)
    expect(error, "the registry's words end the sentence cleanly").toMatch(/manifest unknown\. Check the version/)
  })

  it('names the image input and the registry when the registry cannot be reached', async () => {
    const registry = `localhost:${await freePort()}`
    const { main } = await timedMain({ ...STANDIN_INPUTS, image: `${registry}/nowhere/octopus`, version: '1.0' })
    await expectCleanFailure(main, [`Pulling ${registry}/nowhere/octopus:1.0 failed`, `Check the image input, and that the runner can reach ${registry}`])
    expect(main.stdout).not.toMatch(/\[sql\] .* started/)
  })

  it("says pull 'never' needs the image on the engine already", async () => {
    const { main } = await timedMain({ ...STANDIN_INPUTS, image: 'local-only/octopus-standin', version: '9.9.9-absent', pull: 'never' })
    await expectCleanFailure(main, ['local-only/octopus-standin:9.9.9-absent', "pull is 'never'", 'not present on this engine'])
    expect(main.stdout).not.toContain('Pulling local-only')
    expect(main.stdout, 'no container starts for an image that is not there').not.toMatch(/\[sql\] .* started/)
  })

  it('says the registry refused the credentials', async () => {
    const { main } = await timedMain({
      ...STANDIN_INPUTS,
      image: `${FIXTURES.privateRegistry.serveraddress}/fixtures/octopus-standin`,
      version: '2025.2.0',
      pull: 'always',
      'registry-username': FIXTURES.privateRegistry.username,
      'registry-password': 'Wrong-Pass-123',
    })
    await expectCleanFailure(main, ['localhost:5001', 'refused the credentials'])
    expect(main.stdout, 'no container starts for an image that cannot be had').not.toMatch(/\[sql\] .* started/)
    expect(secretLeaks(main, ['Wrong-Pass-123'])).toEqual([])
  })
})

describe('the SQL Server container exits while starting', () => {
  // The real image stops when it cannot write its data folder (a volume owned by someone else). The
  // action's own inputs cannot make SQL refuse (a weak password is caught by input validation, the
  // EULA is always accepted), so a derived image runs sqlservr as a user that does not own the folder.
  const image = 'local-only/mssql-standin-unwritable:faults'
  afterAll(() => docker.getImage(image).remove({ force: true }).catch(() => undefined))

  it('fails at once with its exit code and its own reason', async () => {
    execFileSync('docker', ['build', '-q', '--label', `${FIXTURES.label}=true`, '-t', image, '-'], {
      input: `FROM ${FIXTURES.sql.image}\nUSER 10002\n`,
      env: { ...process.env, DOCKER_BUILDKIT: '0' },
      stdio: ['pipe', 'ignore', 'pipe'],
    })
    const { main, ms } = await timedMain({ ...STANDIN_INPUTS, 'sql-image': image, timeout: '120' })
    await expectCleanFailure(main, [/Container octopus-[a-z0-9]+-sql exited with code 1 while waiting for SQL Server to accept sign-ins/, 'could not be created or written'])
    expect(ms).toBeLessThan(30_000)
  })
})

describe.concurrent('the Octopus container exits while starting', () => {
  it('fails at once when the database server does not exist', async () => {
    const { main, ms } = await timedMain({
      ...OCTOPUS_ONLY,
      'sql-connection-string': 'Server=faults-no-such-sql,1433;Database=Octopus;User Id=sa;Password=Ext-Secret-Pass-7;TrustServerCertificate=True',
      timeout: '120',
      env: 'STANDIN_SQL_CONNECT_TIMEOUT_MS=500',
    })
    await expectCleanFailure(main, [/Container octopus-[a-z0-9]+ exited with code 1/, 'faults-no-such-sql', 'network-related'])
    expect(ms).toBeLessThan(30_000)
  })

  it('fails at once when the server refuses the licence', async () => {
    const { main, ms } = await timedMain({ ...STANDIN_INPUTS, license: b64('<NotALicense/>'), timeout: '120' })
    await expectCleanFailure(main, [/Container octopus-[a-z0-9]+ exited with code 1/, 'licence provided is not valid'])
    expect(ms).toBeLessThan(30_000)
  })

  it('fails at once when the server sees the EULA refused (env wins over the action)', async () => {
    const { main, ms } = await timedMain({ ...STANDIN_INPUTS, env: 'ACCEPT_EULA=N', timeout: '120' })
    await expectCleanFailure(main, [/Container octopus-[a-z0-9]+ exited with code 1/, 'You must accept the EULA'])
    expect(ms).toBeLessThan(30_000)
  })
})

describe.concurrent('a server that never becomes ready', () => {
  it('gives up at the timeout, naming the check (GET /api) and how long it waited', async () => {
    const { main, ms } = await timedMain({ ...STANDIN_INPUTS, timeout: '10', env: 'STANDIN_BOOT_MS=600000' })
    await expectCleanFailure(main, ['Timed out after 10 s waiting for GET /api', 'The timeout input is 10 s; raise it if the server needs longer.'])
    expect(ms).toBeGreaterThan(5_000)
    expect(ms).toBeLessThan(25_000)
  })

  it('says /api answered 503 when the warm-up never ends', async () => {
    const { main, ms } = await timedMain({ ...STANDIN_INPUTS, timeout: '10', env: 'STANDIN_WARMUP_MS=600000' })
    await expectCleanFailure(main, ['Timed out after 10 s waiting for GET /api', 'GET /api answered 503'])
    expect(ms).toBeLessThan(25_000)
  })
})

describe.concurrent('the host port is taken', () => {
  it('names the port when a process outside Docker holds it', async () => {
    const port = await freePort()
    const server = await listening(port)
    try {
      const { main } = await timedMain({ ...STANDIN_INPUTS, 'host-port': String(port) })
      const { error } = await expectCleanFailure(main, [`host-port ${port} is already in use by a process outside Docker. Choose another host-port, or 0 for a free one.`])
      expect(error).not.toContain('Last log lines')
      // Found before anything was pulled or started.
      expect(main.stdout).not.toMatch(/Pulling|is present locally|started/)
    } finally {
      await closed(server)
    }
  })

  it('names the port and the container holding it', async () => {
    const port = await freePort()
    const holder = await docker.createContainer({
      name: `faults-port-holder-${process.pid}`,
      Image: FIXTURES.octopus.current,
      Entrypoint: ['/usr/bin/node', '-e', 'setInterval(() => {}, 1 << 30)'],
      ExposedPorts: { '8080/tcp': {} },
      HostConfig: { PortBindings: { '8080/tcp': [{ HostPort: String(port) }] } },
    })
    try {
      await holder.start()
      const { main } = await timedMain({ ...STANDIN_INPUTS, 'host-port': String(port) })
      await expectCleanFailure(main, [`host-port ${port} is already in use by container faults-port-holder-${process.pid}`])
      expect(main.stdout).not.toMatch(/Pulling|is present locally|started/)
      expect((await holder.inspect()).State.Running, 'the container holding the port is not ours to stop').toBe(true)
    } finally {
      await holder.remove({ force: true })
    }
  })
})

describe('polling-port taken', () => {
  it('names polling-port and the port', async () => {
    const port = await freePort()
    const server = await listening(port)
    try {
      const { main } = await timedMain({ ...STANDIN_INPUTS, 'polling-port': String(port) })
      await expectCleanFailure(main, [`polling-port ${port} is already in use by a process outside Docker. Choose another polling-port.`])
    } finally {
      await closed(server)
    }
  })
})

describe('a name that is taken', () => {
  it('fails clearly and leaves the existing container alone', async () => {
    const name = `faults-clash-${process.pid}`
    const existing = await docker.createContainer({ name, Image: FIXTURES.octopus.current, Entrypoint: ['/usr/bin/node', '-e', '0'] })
    try {
      const { main } = await timedMain({ ...STANDIN_INPUTS, name })
      await expectCleanFailure(main, [`name "${name}" is taken`, `container ${name} (`])
      expect(main.stdout).not.toContain('Pulling')
      expect((await existing.inspect()).Name).toBe(`/${name}`)
    } finally {
      await existing.remove({ force: true })
    }
  })

  it("refuses a name whose volume exists already, and leaves that volume alone (the engine would hand it back, and the post step remove it)", async () => {
    const name = `faults-volume-${process.pid}`
    const volume = `${name}-artifacts`
    await docker.createVolume({ Name: volume })
    try {
      const { main } = await timedMain({ ...STANDIN_INPUTS, name })
      await expectCleanFailure(main, [`name "${name}" is taken`, `volume ${volume} already exists`])
      expect(main.stdout).not.toMatch(/\[sql\] .* started/)
      expect((await docker.getVolume(volume).inspect()).Name).toBe(volume)
    } finally {
      await docker.getVolume(volume).remove()
    }
  })
})

/** Resolves when the step's output matches, or fails after `ms` saying what it waited for. */
function outputMatches(step: ReturnType<typeof startMain>, pattern: RegExp, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = ''
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${ms} ms:\n${seen}`)), ms)
    step.child.stdout!.on('data', (d: Buffer) => {
      seen += String(d)
      if (pattern.test(seen)) {
        clearTimeout(timer)
        resolve()
      }
    })
    void step.done.then(() => reject(new Error(`the step ended before ${pattern} showed:\n${seen}`)))
  })
}

describe.concurrent('cancellation', () => {
  it.concurrent.each([
    ['while SQL Server starts', /\[octopus\] octopus-[a-z0-9]+ created/, /^Cancelled while waiting for SQL Server/],
    ['while Octopus Server starts', /started; port 8080 is published/, /^Cancelled while waiting for GET \/api/],
  ])('stops waiting at once on SIGINT %s (SIGTERM 7.5 s later, as the runner does) and leaves nothing after the post step', async (_, shown, expected) => {
    const step = startMain({ ...STANDIN_INPUTS, timeout: '120', env: 'STANDIN_BOOT_MS=600000' })
    await outputMatches(step, shown, 60_000)
    const signalled = performance.now()
    step.child.kill('SIGINT')
    const term = setTimeout(() => step.child.kill('SIGTERM'), 7_500)
    const main = await step.done
    clearTimeout(term)
    const ms = performance.now() - signalled
    expect(ms, main.stdout).toBeLessThan(3_000)
    await expectCleanFailure(main, [expected])
  })

  it('names the image being pulled when cancelled during its pull, with no container started', async () => {
    // A registry that accepts connections and never answers: the pull hangs until the cancel.
    const silent = await listening(0, '127.0.0.1')
    const ref = `localhost:${(silent.address() as net.AddressInfo).port}/silent/octopus:1.0`
    try {
      const step = startMain({ ...STANDIN_INPUTS, image: ref.split(':1.0')[0]!, version: '1.0', pull: 'always' })
      await outputMatches(step, /^(?=[\s\S]*\[Octopus\] Pulling localhost:)(?=[\s\S]*Pulled localhost:5000\/fixtures\/mssql-standin)/, 30_000)
      step.child.kill('SIGINT')
      const main = await step.done
      await expectCleanFailure(main, [`Cancelled while waiting for the Octopus image ${ref}`])
      expect(main.stdout).not.toMatch(/\[sql\] .* started/)
    } finally {
      silent.close() // not awaited: close waits for the engine's connection, which this server never ends
    }
  })

  it('after SIGKILL mid-start, the post step finds everything by label and removes it', async () => {
    const step = startMain({ ...STANDIN_INPUTS, timeout: '120', env: 'STANDIN_BOOT_MS=600000' })
    await outputMatches(step, /started; port 8080 is published/, 60_000)
    step.child.kill('SIGKILL')
    const main = await step.done
    expect(main.signal).toBe('SIGKILL')
    const runId = main.state.runId!
    expect(await leftovers(runId)).not.toEqual([])
    const post = await runPost(main)
    expect(post.exitCode, post.stdout).toBe(0)
    expect(await leftovers(runId)).toEqual([])
  })
})

describe('three instances in one job', () => {
  const mains: StepResult[] = []
  afterAll(() => cleanUp(...mains))

  it('start in parallel with different names and default ports, all ready, and are all removed', async () => {
    // Two names given, one generated.
    const names = [`faults-a-${process.pid}`, `faults-b-${process.pid}`, '']
    mains.push(...(await Promise.all(names.map((name) => runMain({ ...STANDIN_INPUTS, ...(name && { name }) })))))
    for (const main of mains) expect(main.exitCode, main.stdout + main.stderr).toBe(0)
    expect(mains.slice(0, 2).map((m) => m.outputs['container-name'])).toEqual(names.slice(0, 2))
    const containers = new Set(mains.map((m) => m.outputs['container-name']))
    const ports = new Set(mains.map((m) => m.outputs['host-port']))
    expect(containers.size).toBe(3)
    expect(ports.size).toBe(3)
    for (const main of mains) expect((await getJson(`${main.outputs.url}/api`)).status).toBe(200)
  })
})

describe.concurrent('secrets never reach the log, the state, the summary or the error', () => {
  const given = {
    'admin-password': 'Adm1n-Secret-Pass',
    'master-key': newMasterKey(),
    license: VALID_LICENCE,
    'registry-password': FIXTURES.privateRegistry.password,
  }

  function expectNoLeaks(results: StepResult[], secrets: string[]): void {
    for (const result of results) {
      expect(secretLeaks(result, secrets)).toEqual([])
      // The annotation is part of stdout already; checked on its own so a leak there is named as such.
      expect(secrets.filter((s) => errorOf(result).includes(s)).map((s) => `${s.slice(0, 4)}...`)).toEqual([])
    }
  }

  it('in a run that succeeds', async () => {
    const sqlPassword = 'Sql-Secret-Pass-9'
    const main = await runMain({
      ...STANDIN_INPUTS,
      ...given,
      image: `${FIXTURES.privateRegistry.serveraddress}/fixtures/octopus-standin`,
      'registry-username': FIXTURES.privateRegistry.username,
      'sql-password': sqlPassword,
    })
    let post: StepResult | undefined
    try {
      expect(main.exitCode, main.stdout + main.stderr).toBe(0)
      expect(main.outputs['master-key']).toBe(given['master-key'])
    } finally {
      post = await runPost(main)
    }
    expect(post.exitCode).toBe(0)
    expect(await leftovers(main.state.runId!)).toEqual([])
    const secrets = [...Object.values(given), sqlPassword, main.outputs['api-key']!, main.outputs['sql-connection-string']!]
    expectNoLeaks([main, post], secrets)
  })

  it('in a run that fails with an unreachable external database whose connection string has a password', async () => {
    const connectionString = 'Server=faults-unreachable-sql,1433;Database=Octopus;User Id=sa;Password=Ext-Secret-Pass-8;TrustServerCertificate=True'
    const main = await runMain({
      ...OCTOPUS_ONLY,
      ...given,
      image: `${FIXTURES.privateRegistry.serveraddress}/fixtures/octopus-standin`,
      'registry-username': FIXTURES.privateRegistry.username,
      'sql-connection-string': connectionString,
      env: 'STANDIN_SQL_CONNECT_TIMEOUT_MS=500',
    })
    const { post } = await expectCleanFailure(main, ['faults-unreachable-sql'])
    expectNoLeaks([main, post], [...Object.values(given), 'Ext-Secret-Pass-8', connectionString])
  })

  it('in a run that times out, whose error carries both containers\' log tails', async () => {
    const secrets = { 'admin-password': 'Adm1n-Secret-Pass-2', 'master-key': newMasterKey(), license: VALID_LICENCE, 'sql-password': 'Sql-Secret-Pass-10' }
    const main = await runMain({ ...STANDIN_INPUTS, ...secrets, timeout: '10', env: 'STANDIN_WARMUP_MS=600000' })
    const { error, post } = await expectCleanFailure(main, ['Timed out', 'Last log lines of'])
    expect(error).toContain('-sql:')
    expectNoLeaks([main, post], Object.values(secrets))
  })
})

describe.concurrent('inputs that are wrong fail before anything is pulled or created', () => {
  async function expectInputFailure(inputs: Record<string, string>, expected: string[]): Promise<void> {
    const step = startMain(inputs)
    // An input check that never returns (as Node's recursive mkdir does under /proc) must fail here, not hang.
    const hung = setTimeout(() => step.child.kill('SIGKILL'), 30_000)
    const main = await step.done
    clearTimeout(hung)
    expect(main.signal, `the step did not end by itself:\n${main.stdout}`).toBeNull()
    expect(main.exitCode, main.stdout + main.stderr).toBe(1)
    const error = errorOf(main)
    for (const piece of expected) expect(error).toContain(piece)
    expect(main.stdout).not.toContain('Pulling')
    // Every resource carries the run id, and the run id is saved before the first engine call.
    expect(main.state.runId ?? '').toBe('')
    const post = await runPost(main)
    expect(post.exitCode).toBe(0)
    expect(post.stdout).toContain('made nothing to remove')
  }

  it('the EULA not accepted', () => expectInputFailure({ ...STANDIN_INPUTS, 'accept-eula': 'N' }, ['accept-eula is "N"']))

  it('a weak SQL password', () => expectInputFailure({ ...STANDIN_INPUTS, 'sql-password': 'weakpass' }, ["sql-password breaks SQL Server's password policy"]))

  it('a host folder that cannot be made, under /proc (where recursive mkdir would spin forever)', () =>
    expectInputFailure({ ...STANDIN_INPUTS, 'artifacts-path': '/proc/nope/artifacts' }, [
      'artifacts-path is "/proc/nope/artifacts", a folder that cannot be made',
      'give a folder the runner can create and write to',
    ]))

  it('several at once, each named', () =>
    expectInputFailure({ ...STANDIN_INPUTS, 'host-port': '70000', 'master-key': 'not-a-key', timeout: 'soon' }, [
      '3 inputs are wrong',
      'host-port is "70000"',
      'master-key is not a master key',
      'timeout is "soon"',
    ]))
})
