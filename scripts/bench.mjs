#!/usr/bin/env node
// Benchmark (issue #5): the action against the hand-written baseline, on the stand-in images, in ONE run.
//
//   npm run bench [-- --runs N] [--json [file]] [--cold-only|--warm-only] [--no-cache-check]
//   (--json alone writes .local/bench/results.json; ACTION_NODE=/path/to/node runs the action on another node)
//
// What it does and what was chosen:
// - Proportions: the real images on a GitHub-hosted runner, scaled down by about 1/5 so a default run
//   (5 iterations cold + 5 warm + the cache check) stays under ~12 minutes (9.4 min on the 2-core box):
//                      real (GitHub runner)                      bench (1/5)
//     SQL pull         ~1.5 GB in ~20 s                          280 MB random layer: ~3-4 s cold pull here
//     SQL start        sign-ins after ~10-15 s                   READY 1500 + RECOVERY 1000 ms = 2.5 s (+ node start)
//     Octopus pull     ~1 GB in ~15 s                            220 MB random layer: ~2.5-3 s cold pull here
//     Octopus start    GET /api after ~30-60 s                   BOOT 5000..9000 ms + WARMUP 1000 ms (+ ~0.4 s container
//                                                                and node start) = 6.4-10.5 s measured, spread below
//   Layer sizes were chosen by measuring cold pulls (Engine API, alone) of random layers from
//   localhost:5000 on the 2-core bench box: 240 MB took 2.7-3.4 s and 170 MB ~2.0 s (~11-12 ms per MB),
//   so 280 MB and 220 MB land in the ranges above; the real images pull at 15 s/GB vs 13 s/GB, so the
//   bench layers differ less than the real sizes do. The bench prints the pulls it actually measured.
// - Octopus boot spread: a real start-up is not aligned with anyone's sleep, so STANDIN_BOOT_MS is drawn
//   per iteration from N values evenly spaced over a 5 s window [4500, 9500) (midpoints: 5000, 6000, 7000,
//   8000, 9000 ms for N = 5), in an order shuffled by a fixed seed (BOOT_SEED). The window is exactly
//   one period of the baseline's `sleep 5` curl loop, so the moment Octopus answers falls evenly over
//   that loop's phase and its sleep is averaged honestly, neither always lucky nor always unlucky.
//   Within one iteration the action, the baseline and the floor get the same value; cold and warm use
//   the same list. The delays used are printed and written to the JSON.
// - Bench images: derived from the fixtures and tagged localhost:5000/bench/mssql-standin:2022-latest and
//   localhost:5000/bench/octopus-standin:2025.2.0. Each adds one layer of incompressible random bytes
//   (sizes above; kept in .local/bench/ so reruns push the same blobs) so a cold pull really downloads
//   something. SQL delays are baked into its image (ENV STANDIN_READY_MS STANDIN_RECOVERY_MS) because
//   the action cannot pass env to SQL; Octopus delays (STANDIN_BOOT_MS, STANDIN_WARMUP_MS) are passed as
//   container env, by the action's `env` input, by the baseline's `-e` and by the floor measurement alike.
// - COLD = the two bench tags removed locally (`docker rmi`) before each measured thing, so their own
//   layers are pulled again from the local registry; the shared fixture layers underneath (node base,
//   stand-in JS, ~100 MB) stay present. WARM = both bench images present.
// - Per iteration the order alternates: a, floor, b then b, floor, a, ... so drift hits both sides.
//   (a) the action: dist/index.js main step via scripts/action-runner.mjs (wall time of the node
//       process), then the post step, timed separately. Peak memory = VmHWM of each node process,
//       polled every 20 ms from /proc/<pid>/status.
//   (b) scripts/bench/baseline.sh up (docker CLI, sequential, `sleep 1` sqlcmd loop, `sleep 5` curl loop);
//       `baseline.sh down` afterwards is not timed.
//   floor: measured with dockerode in the same iteration, each part on its own: Octopus pull alone, its
//       container created at once (untimed: any tool can create it while SQL boots), then SQL pull alone
//       (cold only; pulls are 0 when warm), SQL start = create + start -> sqlcmd sign-in succeeding
//       (sequential `docker exec` tries, 25 ms apart), Octopus start = start (SQL already taking sign-ins)
//       -> GET /api 200 (polled every 25 ms). floor = max(SQL pull + SQL start, Octopus pull) + Octopus start.
//       SQL start counts the create because right after a pull the engine holds a create until the pulled
//       layers are written out (~0.5 s for the SQL layer here), which every tool pays, `docker run` too.
//       overhead = action main - floor of the same iteration; its median is reported.
//       Cold, also both pulls at once with SQL created and started as soon as its image is there (the
//       schedule of the issue and the action): FLOOR with both pulls at once = max(SQL signs in, Octopus
//       image present) + Octopus start. The action's overhead over it is its own share; the difference
//       between the two floors is what two pulls at once cost on this engine and disk.
// - Image cache: `docker save` of the Octopus bench image to a tar once, then alternately `docker load`
//   of the tar (image removed first) and a cold pull from the local registry.
// - Targets are printed next to the figures, never asserted.
// - Everything the bench makes carries the label io.octopus-server-action.bench=<id> and is removed on
//   exit, failure or Ctrl-C; an action step started by the bench gets its post step. Bench images stay
//   (warm) at the end; they are only ever removed by tag.
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import Docker from 'dockerode'
import { ENTRY, ROOT, parseFileCommand, startStep } from './action-runner.mjs'

const docker = new Docker()
const REGISTRY = 'localhost:5000'
const FIX_SQL = `${REGISTRY}/fixtures/mssql-standin:2022-latest`
const FIX_OCTO = `${REGISTRY}/fixtures/octopus-standin:2025.2.0`
const OCTO_REPO = `${REGISTRY}/bench/octopus-standin`
const OCTO_VERSION = '2025.2.0'
const BENCH = {
  sql: { tag: `${REGISTRY}/bench/mssql-standin:2022-latest`, from: FIX_SQL, padMB: 280, env: 'STANDIN_READY_MS=1500 STANDIN_RECOVERY_MS=1000', what: 'SQL Server' },
  octo: { tag: `${OCTO_REPO}:${OCTO_VERSION}`, from: FIX_OCTO, padMB: 220, env: '', what: 'Octopus Server' },
}
/** Octopus boot delay window [from, to) in ms (one period of the baseline's `sleep 5`), and its fixed shuffle seed. */
const BOOT_WINDOW = [4500, 9500]
const BOOT_SEED = 5
const OCTO_WARMUP_MS = 1000
/** N boot delays evenly spaced over BOOT_WINDOW (midpoints of N equal slices), shuffled by a seeded PRNG. */
function bootDelays(n) {
  const [lo, hi] = BOOT_WINDOW
  const xs = Array.from({ length: n }, (_, k) => Math.round(lo + ((hi - lo) * (k + 0.5)) / n))
  let seed = BOOT_SEED >>> 0
  const rand = () => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) >>> 0
    let t = seed
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[xs[i], xs[j]] = [xs[j], xs[i]]
  }
  return xs
}
const octoEnv = (bootMs) => ({ STANDIN_BOOT_MS: String(bootMs), STANDIN_WARMUP_MS: String(OCTO_WARMUP_MS) })
const SA_PASSWORD = 'Bench-Pass-123!'
const SQLCMD = '/opt/mssql-tools18/bin/sqlcmd'
const BENCH_ID = `${process.pid}-${Date.now().toString(36)}`
const LABEL_KEY = 'io.octopus-server-action.bench'
const LABEL = `${LABEL_KEY}=${BENCH_ID}`
const WORK = path.join(ROOT, '.local', 'bench')
const TARGETS = { ratioCold: 0.6, ratioWarm: 0.8, overheadS: 0.5, postS: 3, memMB: 150 }
const STEP_TIMEOUT_MS = 180_000
/** The node binary that runs dist/index.js; ACTION_NODE picks another one (e.g. Node 24), as in the e2e harness. */
const ACTION_NODE = process.env.ACTION_NODE || process.execPath

// ---------------------------------------------------------------------------------------------- args
function parseArgs(argv) {
  const o = { runs: 5, json: undefined, modes: ['cold', 'warm'], cacheCheck: true }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--runs') o.runs = Number(argv[++i])
    else if (a.startsWith('--runs=')) o.runs = Number(a.slice(7))
    else if (a === '--json') o.json = argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : path.join(WORK, 'results.json')
    else if (a.startsWith('--json=')) o.json = a.slice(7)
    else if (a === '--cold-only') o.modes = ['cold']
    else if (a === '--warm-only') o.modes = ['warm']
    else if (a === '--no-cache-check') o.cacheCheck = false
    else if (a === '--help' || a === '-h') o.help = true
    else throw new Error(`unknown argument ${a}`)
  }
  if (!Number.isInteger(o.runs) || o.runs < 1) throw new Error('--runs needs a whole number >= 1')
  return o
}

// ------------------------------------------------------------------------------------------- helpers
const now = () => performance.now()
const log = (...a) => console.log('[bench]', ...a)
const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b)
  if (!s.length) return NaN
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
const sec = (ms, d = 2) => (Number.isFinite(ms) ? (ms / 1000).toFixed(d) : '-')

/** Child processes running now (the action's steps, the baseline script): stopped first on Ctrl-C. */
const running = new Set()
function track(child, done) {
  running.add(child)
  const forget = () => running.delete(child)
  done.then(forget, forget)
  return done
}

function run(cmd, args, { env, timeoutMs = STEP_TIMEOUT_MS } = {}) {
  let child
  const done = new Promise((resolve, reject) => {
    child = execFile(cmd, args, { env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(new Error(`${cmd} ${args.join(' ')} failed: ${stderr || err.message}`), { stdout, stderr }))
      else resolve({ stdout, stderr })
    })
  })
  return track(child, done)
}

async function imagePresent(ref) {
  try {
    return await docker.getImage(ref).inspect()
  } catch (e) {
    if (e.statusCode === 404) return undefined
    throw e
  }
}

async function removeImage(ref) {
  try {
    await docker.getImage(ref).remove() // by tag: untags, and deletes the layers no other image uses
  } catch (e) {
    if (e.statusCode !== 404) throw e
  }
}

async function pull(ref) {
  const stream = await docker.pull(ref)
  await new Promise((resolve, reject) => docker.modem.followProgress(stream, (err) => (err ? reject(err) : resolve())))
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.unref()
    s.on('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

/** Polls VmHWM (peak resident set) of a process until stopped; returns the highest value seen, in kB. */
function watchPeakMemory(pid) {
  let peak = 0
  const read = () => {
    try {
      const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
      if (m) peak = Math.max(peak, Number(m[1]))
    } catch {
      // the process is gone
    }
  }
  read()
  const timer = setInterval(read, 20)
  return () => {
    clearInterval(timer)
    return peak
  }
}

// --------------------------------------------------------------------------------- clean-up registry
const pendingPosts = new Map() // workDir -> true while an action main step may have left things behind
let cleaning

async function removeLabelled() {
  const filters = JSON.stringify({ label: [LABEL] })
  const containers = await docker.listContainers({ all: true, filters })
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => {})))
  const networks = await docker.listNetworks({ filters })
  await Promise.all(networks.map((n) => docker.getNetwork(n.Id).remove().catch(() => {})))
}

async function runPost(state) {
  const t0 = now()
  const step = startStep({ phase: 'post', state, node: ACTION_NODE })
  const stopMem = watchPeakMemory(step.child.pid)
  const r = await track(step.child, step.done)
  const ms = now() - t0
  rmSync(r.dir, { recursive: true, force: true })
  return { ms, peakKB: stopMem(), exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr }
}

async function cleanUpEverything() {
  cleaning ??= (async () => {
    // Stop what still runs: the action's main step gets SIGINT as from the runner's cancel (it then removes
    // what it made itself), the baseline script SIGTERM; SIGKILL after 30 s.
    await Promise.all(
      [...running].map(
        (child) =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve()
            child.once('close', resolve)
            child.kill(child.spawnfile === ACTION_NODE ? 'SIGINT' : 'SIGTERM')
            setTimeout(() => child.kill('SIGKILL'), 30_000).unref()
          }),
      ),
    )
    for (const dir of [...pendingPosts.keys()]) {
      try {
        const state = parseFileCommand(readFileSync(path.join(dir, 'main-state'), 'utf8'))
        if (Object.keys(state).length) await runPost(state)
      } catch {
        // nothing saved
      }
      pendingPosts.delete(dir)
    }
    await removeLabelled().catch((e) => console.error('[bench] clean-up:', e.message))
    await sleep(500) // an Engine API call in flight may still create something
    await removeLabelled().catch((e) => console.error('[bench] clean-up:', e.message))
  })()
  return cleaning
}

let interrupted = false
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (interrupted) return
    interrupted = true
    console.error(`\n[bench] ${sig}: cleaning up (the action's own steps get their post step)...`)
    cleanUpEverything().finally(() => process.exit(130))
  })
}
const checkInterrupted = () => {
  if (interrupted) throw new Error('interrupted')
}

// -------------------------------------------------------------------------------------------- setup
async function ensureFixtures() {
  const registryUp = await fetch(`http://127.0.0.1:5000/v2/`).then((r) => r.ok, () => false)
  if (registryUp && (await imagePresent(FIX_SQL)) && (await imagePresent(FIX_OCTO))) return
  log('fixtures or registry missing: running test/fixtures/setup.sh')
  await run('bash', [path.join(ROOT, 'test/fixtures/setup.sh')], { timeoutMs: 600_000 })
}

/** Builds (or reuses) a bench image and makes sure the registry holds it. */
async function ensureBenchImage(b) {
  mkdirSync(WORK, { recursive: true })
  const name = b.tag.split('/').pop().replace(/[:]/g, '_')
  const ctx = path.join(WORK, name)
  mkdirSync(ctx, { recursive: true })
  const pad = path.join(ctx, 'pad.bin')
  if (!existsSync(pad) || statSync(pad).size !== b.padMB << 20) {
    const out = createWriteStream(pad)
    for (let i = 0; i < b.padMB; i++) out.write(randomBytes(1 << 20))
    await new Promise((resolve, reject) => out.end((e) => (e ? reject(e) : resolve())))
  }
  const padId = statSync(pad).mtimeMs.toFixed(0)
  const base = await imagePresent(b.from)
  const hash = `${base.Id.slice(7, 19)}-${b.padMB}-${padId}-${b.env.replace(/\W/g, '')}`
  const dockerfile = [
    `FROM ${b.from}`,
    `COPY pad.bin /bench/pad.bin`,
    ...(b.env ? [`ENV ${b.env}`] : []),
    `LABEL ${LABEL_KEY}.hash="${hash}" org.opencontainers.image.description="BENCH FIXTURE: ${b.what} stand-in with a ${b.padMB} MB random layer"`,
    '',
  ].join('\n')
  writeFileSync(path.join(ctx, 'Dockerfile'), dockerfile)
  const hashOf = (info) => info?.Config?.Labels?.[`${LABEL_KEY}.hash`]
  let info = await imagePresent(b.tag)
  if (hashOf(info) !== hash) {
    // maybe a previous run pushed it and then left it removed (cold)
    await pull(b.tag).catch(() => {})
    info = await imagePresent(b.tag)
  }
  if (hashOf(info) !== hash) {
    log(`building ${b.tag}`)
    await run('docker', ['build', '-q', '-t', b.tag, ctx], { env: { DOCKER_BUILDKIT: '0' } })
    // The bench image this one replaces would stay behind untagged.
    if (info) await docker.getImage(info.Id).remove().catch(() => {})
  }
  await run('docker', ['push', '-q', b.tag])
}

// ---------------------------------------------------------------------------------------- scenarios
async function setMode(mode) {
  if (mode === 'cold') {
    await removeImage(BENCH.sql.tag)
    await removeImage(BENCH.octo.tag)
  } else {
    if (!(await imagePresent(BENCH.sql.tag))) await pull(BENCH.sql.tag)
    if (!(await imagePresent(BENCH.octo.tag))) await pull(BENCH.octo.tag)
  }
}

const actionInputs = (bootMs) => ({
  'accept-eula': 'Y',
  image: OCTO_REPO,
  version: OCTO_VERSION,
  'sql-image': BENCH.sql.tag,
  env: Object.entries(octoEnv(bootMs)).map(([k, v]) => `${k}=${v}`).join('\n'),
  timeout: '120',
})

/** (a) the action: main step, then post step; each a node process running dist/index.js. */
async function runAction(bootMs) {
  const lines = []
  let buffered = ''
  const t0 = now()
  const step = startStep({
    phase: 'main',
    inputs: actionInputs(bootMs),
    node: ACTION_NODE,
    onOutput: (text) => {
      const at = now() - t0
      buffered += text
      const parts = buffered.split('\n')
      buffered = parts.pop()
      for (const p of parts) lines.push([at, p])
    },
  })
  pendingPosts.set(step.dir, true)
  const stopMem = watchPeakMemory(step.child.pid)
  const killer = setTimeout(() => step.child.kill('SIGINT'), STEP_TIMEOUT_MS)
  const main = await track(step.child, step.done)
  clearTimeout(killer)
  const mainMs = now() - t0
  const mainPeakKB = stopMem()
  const post = await runPost(main.state)
  pendingPosts.delete(step.dir)
  rmSync(step.dir, { recursive: true, force: true }) // the step's files hold the outputs, secrets included
  if (main.exitCode !== 0 || post.exitCode !== 0) {
    throw new Error(`action failed (main exit ${main.exitCode}, post exit ${post.exitCode}):\n${main.stdout}\n${main.stderr}\n${post.stdout}`)
  }
  return { mainMs, postMs: post.ms, mainPeakKB, postPeakKB: post.peakKB, timeline: timelineOf(lines, mainMs), summary: timingsOf(main.summary) }
}

const MILESTONES = [
  [/^Docker engine /, 'inputs checked, engine found'],
  [/^\[SQL Server\] Pulling /, 'SQL pull started'],
  [/^\[Octopus\] Pulling /, 'Octopus pull started'],
  [/^\[SQL Server\] (.* is present locally|Pulled )/, 'SQL image present'],
  [/^\[Octopus\] (.* is present locally|Pulled )/, 'Octopus image present'],
  [/^\[octopus\] .* created$/, 'Octopus container created'],
  [/^\[sql\] .* started; waiting/, 'SQL container started'],
  [/^\[sql\] SQL Server listens/, 'SQL listens (log line)'],
  [/^\[sql\] SQL Server accepts sign-ins/, 'SQL sign-in OK'],
  [/^\[octopus\] .* started; port/, 'Octopus container started'],
  [/^\[octopus\] GET \/api answered/, 'GET /api answered'],
  [/is ready at http/, 'ready line printed'],
]

function timelineOf(lines, endMs) {
  const out = [['first output (node + bundle loaded)', lines[0]?.[0] ?? NaN]]
  for (const [re, label] of MILESTONES) {
    const hit = lines.find(([, l]) => re.test(l))
    if (hit) out.push([label, hit[0]])
  }
  out.sort((x, y) => x[1] - y[1])
  out.push(['process exited', endMs])
  return out
}

function timingsOf(summaryHtml) {
  const timings = summaryHtml.slice(summaryHtml.indexOf('Timings'))
  return [...timings.matchAll(/<tr><td>([^<]+)<\/td><td>([\d.]+)<\/td><\/tr>/g)].map((m) => [m[1], Number(m[2])])
}

/** (b) the hand-written baseline script. */
async function runBaseline(i, bootMs) {
  const name = `bench-base-${BENCH_ID}-${i}`
  const env = {
    NAME: name,
    SQL_IMAGE: BENCH.sql.tag,
    OCTOPUS_IMAGE: BENCH.octo.tag,
    SA_PASSWORD,
    OCTOPUS_PORT: String(await freePort()),
    BENCH_LABEL: LABEL,
    OCTOPUS_EXTRA_ENV: Object.entries(octoEnv(bootMs)).map(([k, v]) => `${k}=${v}`).join(' '),
  }
  const script = path.join(ROOT, 'scripts/bench/baseline.sh')
  const t0 = now()
  try {
    await run('bash', [script, 'up'], { env })
    return { ms: now() - t0 }
  } finally {
    await run('bash', [script, 'down'], { env }).catch(() => {})
  }
}

async function execExit(container, cmd) {
  const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true })
  const stream = await exec.start({ hijack: true, stdin: false })
  stream.resume()
  await new Promise((resolve) => stream.on('end', resolve))
  return (await exec.inspect()).ExitCode
}

async function until(what, probe, gapMs = 25) {
  const deadline = now() + STEP_TIMEOUT_MS
  for (;;) {
    checkInterrupted()
    if (await probe().catch(() => false)) return
    if (now() > deadline) throw new Error(`${what}: timed out`)
    await sleep(gapMs)
  }
}

const sqlContainer = (name) =>
  docker.createContainer({
    name: `${name}-sql`,
    Image: BENCH.sql.tag,
    Env: ['ACCEPT_EULA=Y', `MSSQL_SA_PASSWORD=${SA_PASSWORD}`],
    Labels: { [LABEL_KEY]: BENCH_ID },
  })

/** docker run of SQL Server, then sqlcmd until sa signs in; it joins the network meanwhile, as in the action. */
async function runSqlUntilSignIn(name, network) {
  const sql = await sqlContainer(name)
  await sql.start()
  await Promise.all([
    docker.getNetwork(network).connect({ Container: sql.id, EndpointConfig: { Aliases: [`${name}-sql`] } }),
    until('SQL sign-in', async () => (await execExit(sql, [SQLCMD, '-C', '-S', 'localhost', '-U', 'sa', '-P', SA_PASSWORD, '-l', '1', '-Q', 'SELECT 1'])) === 0),
  ])
}

async function octopusContainer(name, network, bootMs) {
  const port = await freePort()
  const octo = await docker.createContainer({
    name,
    Image: BENCH.octo.tag,
    Env: [
      'ACCEPT_EULA=Y',
      `DB_CONNECTION_STRING=Server=${name}-sql,1433;Database=Octopus;User Id=sa;Password=${SA_PASSWORD};TrustServerCertificate=True`,
      'ADMIN_USERNAME=admin',
      `ADMIN_PASSWORD=${SA_PASSWORD}`,
      'DISABLE_DIND=Y',
      'ENABLE_USAGE=N',
      ...Object.entries(octoEnv(bootMs)).map(([k, v]) => `${k}=${v}`),
    ],
    Labels: { [LABEL_KEY]: BENCH_ID },
    ExposedPorts: { '8080/tcp': {} },
    HostConfig: { NetworkMode: network, PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] } },
  })
  return { octo, port }
}

/**
 * floor components, measured with the Engine API, each on its own. SQL start is the create as well as the
 * start: right after a pull the engine holds the create until the pulled layers are on disk, and no tool
 * can create the container before its image is there. The Octopus container is created ahead (untimed),
 * as any tool can do while SQL boots; its start is timed from the start call.
 * Cold, the Octopus image is pulled first and its container made at once, so the SQL pull and start that
 * follow have no other image's writes pending; then, separately, both pulls at once with SQL started as
 * soon as its image is there: what the engine and disk make of the schedule the issue asks for.
 */
async function runFloor(mode, i, bootMs) {
  const r = { sqlPullMs: 0, octoPullMs: 0 }
  const name = `bench-floor-${BENCH_ID}-${i}`
  const netName = `${name}-net`
  try {
    await docker.createNetwork({ Name: netName, Labels: { [LABEL_KEY]: BENCH_ID } })
    let t = now()
    if (mode === 'cold') await pull(BENCH.octo.tag)
    r.octoPullMs = now() - t
    const { octo, port } = await octopusContainer(name, netName, bootMs)
    t = now()
    if (mode === 'cold') await pull(BENCH.sql.tag)
    r.sqlPullMs = now() - t
    t = now()
    await runSqlUntilSignIn(name, netName)
    r.sqlStartMs = now() - t
    t = now()
    await octo.start()
    await until('GET /api', async () => (await fetch(`http://127.0.0.1:${port}/api`, { signal: AbortSignal.timeout(2000) })).status === 200)
    r.octoStartMs = now() - t
  } finally {
    await removeLabelled()
  }
  r.floorMs = Math.max(r.sqlPullMs + r.sqlStartMs, r.octoPullMs) + r.octoStartMs
  if (mode === 'cold') {
    await setMode('cold')
    try {
      await docker.createNetwork({ Name: netName, Labels: { [LABEL_KEY]: BENCH_ID } })
      const t = now()
      const octoPulled = pull(BENCH.octo.tag).then(() => now() - t)
      octoPulled.catch(() => {}) // awaited below; a failed SQL pull must not leave it unhandled
      await pull(BENCH.sql.tag)
      r.sqlPullTogetherMs = now() - t
      await runSqlUntilSignIn(name, netName)
      r.sqlReadyTogetherMs = now() - t
      r.octoPullTogetherMs = await octoPulled
    } finally {
      await removeLabelled()
    }
    r.floorTogetherMs = Math.max(r.sqlReadyTogetherMs, r.octoPullTogetherMs) + r.octoStartMs
  }
  return r
}

/** docker load of a saved tar against a cold pull, alternating. */
async function runCacheCheck(runs) {
  const tar = path.join(WORK, 'octopus-bench-image.tar')
  await setMode('warm')
  let t = now()
  await run('docker', ['save', '-o', tar, BENCH.octo.tag])
  const saveMs = now() - t
  const tarMB = statSync(tar).size / 2 ** 20
  const loads = []
  const pulls = []
  try {
    for (let i = 0; i < runs; i++) {
      for (const which of i % 2 ? ['pull', 'load'] : ['load', 'pull']) {
        checkInterrupted()
        await removeImage(BENCH.octo.tag)
        t = now()
        if (which === 'load') await run('docker', ['load', '-q', '-i', tar])
        else await pull(BENCH.octo.tag)
        ;(which === 'load' ? loads : pulls).push(now() - t)
      }
    }
  } finally {
    rmSync(tar, { force: true })
  }
  return { saveMs, tarMB, loadMs: loads, pullMs: pulls }
}

// ------------------------------------------------------------------------------------------- report
function report(results, opts, meta) {
  const lines = []
  const p = (s = '') => lines.push(s)
  p()
  p(`Benchmark: ${meta.runs} iteration(s) per scenario, ${meta.machine}`)
  p(`Images: ${BENCH.sql.tag} (+${BENCH.sql.padMB} MB random layer; ${BENCH.sql.env})`)
  p(`        ${BENCH.octo.tag} (+${BENCH.octo.padMB} MB random layer; env STANDIN_BOOT_MS=<per iteration> STANDIN_WARMUP_MS=${OCTO_WARMUP_MS})`)
  p(`Octopus boot delays: evenly spaced over [${BOOT_WINDOW[0]}, ${BOOT_WINDOW[1]}) ms (one baseline curl-sleep period), shuffled with seed ${BOOT_SEED};`)
  p('        the same value for the action, the baseline and the floor of one iteration.')
  p('COLD = bench tags removed locally, their own layers pulled again from the local registry; the shared fixture')
  p('       layers (node base + stand-in JS, ~100 MB) stay present. WARM = both bench images present.')
  p('FLOOR = max(SQL pull + SQL start, Octopus pull) + Octopus start, each measured alone in the same iteration (pulls 0 when warm);')
  p('        SQL start = create + start -> sign-in right after its pull; Octopus start = start -> GET /api 200, created ahead.')
  p('        overhead = action main step - FLOOR of the same iteration. Targets are printed, not asserted.')
  for (const mode of opts.modes) {
    const r = results[mode]
    if (!r) continue
    const f = r.floor
    const pick = (xs, k) => xs.map((x) => x[k])
    const action = median(pick(r.action, 'mainMs'))
    const base = median(pick(r.baseline, 'ms'))
    const ratio = action / base
    const overhead = median(r.action.map((a, i) => a.mainMs - f[i].floorMs))
    const target = mode === 'cold' ? TARGETS.ratioCold : TARGETS.ratioWarm
    const ok = (v, t) => (v < t ? 'met' : 'MISSED')
    const row = (label, xs, extra = '') =>
      p(`  ${label.padEnd(38)} ${sec(median(xs)).padStart(7)} s   (min ${sec(Math.min(...xs))}, max ${sec(Math.max(...xs))})${extra}`)
    p()
    p(`== ${mode.toUpperCase()} (median of ${r.action.length}) ==`)
    p(`  Octopus STANDIN_BOOT_MS per iteration: ${r.bootMs.join(', ')} ms`)
    row('(a) action, main step', pick(r.action, 'mainMs'))
    row('(a) action, post step', pick(r.action, 'postMs'), `   target < ${TARGETS.postS} s: ${ok(median(pick(r.action, 'postMs')) / 1000, TARGETS.postS)}`)
    row('(b) baseline script', pick(r.baseline, 'ms'))
    p(`  ${'ratio action / baseline'.padEnd(38)} ${ratio.toFixed(2).padStart(7)}     target < ${target}: ${ok(ratio, target)}`)
    p(`  ${'(ratio FLOOR / baseline: best possible)'.padEnd(38)} ${(median(pick(f, 'floorMs')) / base).toFixed(2).padStart(7)}`)
    if (mode === 'cold') {
      row('floor: Octopus pull alone', pick(f, 'octoPullMs'))
      row('floor: SQL pull alone', pick(f, 'sqlPullMs'))
    }
    row('floor: SQL create+start -> sign-in', pick(f, 'sqlStartMs'))
    row('floor: Octopus start -> GET /api 200', pick(f, 'octoStartMs'))
    row('FLOOR (formula above)', pick(f, 'floorMs'))
    p(`  ${'action overhead over floor'.padEnd(38)} ${sec(overhead).padStart(7)} s   target < ${TARGETS.overheadS} s: ${ok(overhead / 1000, TARGETS.overheadS)}` +
      `   (median(a) - median(floor) = ${sec(action - median(pick(f, 'floorMs')))} s)`)
    if (mode === 'cold') {
      p('  both pulls at once, SQL started as soon as its image is there (the schedule the action follows):')
      row('  Octopus image present after', pick(f, 'octoPullTogetherMs'))
      row('  SQL image present after', pick(f, 'sqlPullTogetherMs'))
      row('  SQL signs in after', pick(f, 'sqlReadyTogetherMs'))
      row('  FLOOR with both pulls at once', pick(f, 'floorTogetherMs'), '   (max(SQL signs in, Octopus present) + Octopus start)')
      const overTogether = median(r.action.map((a, i) => a.mainMs - f[i].floorTogetherMs))
      p(`  ${'  action overhead over it'.padEnd(38)} ${sec(overTogether).padStart(7)} s   (the action's own share; the rest is the engine and disk taking two pulls at once)`)
    }
    const peakMB = Math.max(...r.action.map((a) => Math.max(a.mainPeakKB, a.postPeakKB))) / 1024
    p(`  ${'action peak memory (VmHWM, max)'.padEnd(38)} ${peakMB.toFixed(0).padStart(7)} MB  target < ${TARGETS.memMB} MB: ${ok(peakMB, TARGETS.memMB)}` +
      `   (median main ${(median(pick(r.action, 'mainPeakKB')) / 1024).toFixed(0)} MB, post ${(median(pick(r.action, 'postPeakKB')) / 1024).toFixed(0)} MB)`)
    // the timeline of the action run closest to the median
    const rep = r.action.reduce((best, a) => (Math.abs(a.mainMs - action) < Math.abs(best.mainMs - action) ? a : best))
    p(`  action timeline (run closest to the median, ${sec(rep.mainMs)} s; seconds since the node process was spawned):`)
    for (const [label, at] of rep.timeline) p(`    ${sec(at).padStart(6)}  ${label}`)
    p(`  action's own timings (job summary): ${rep.summary.map(([k, v]) => `${k} ${v}`).join('; ')}`)
  }
  if (results.cache) {
    const c = results.cache
    p()
    p(`== Image cache: docker load of a saved tar vs a cold pull (Octopus bench image, median of ${c.loadMs.length}) ==`)
    p(`  docker save (once)                     ${sec(c.saveMs).padStart(7)} s   tar ${c.tarMB.toFixed(0)} MB (the whole image, shared layers too)`)
    p(`  docker load (image removed first)      ${sec(median(c.loadMs)).padStart(7)} s   (min ${sec(Math.min(...c.loadMs))}, max ${sec(Math.max(...c.loadMs))})`)
    p(`  cold pull from localhost:5000          ${sec(median(c.pullMs)).padStart(7)} s   (min ${sec(Math.min(...c.pullMs))}, max ${sec(Math.max(...c.pullMs))}; ${BENCH.octo.padMB} MB layer)`)
  }
  p()
  p(`Total bench time ${sec(meta.totalMs, 0)} s`)
  return lines.join('\n')
}

// --------------------------------------------------------------------------------------------- main
async function main() {
  const opts = parseArgs(process.argv.slice(2))
  if (opts.help) {
    console.log('Usage: npm run bench [-- --runs N] [--json [file]] [--cold-only|--warm-only] [--no-cache-check]')
    return
  }
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run npm run build`)
  const started = now()
  await run('bash', [path.join(ROOT, 'scripts/ensure-docker.sh')])
  await run('bash', ['-c', 'command -v curl']).catch(async () => {
    log('installing curl (the baseline needs it)')
    await run('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl'], { timeoutMs: 300_000 })
  })
  await ensureFixtures()
  for (const b of Object.values(BENCH)) await ensureBenchImage(b)
  const engine = await docker.version()
  const cpus = (await import('node:os')).cpus().length
  const meta = { runs: opts.runs, machine: `${cpus} cores, dockerd ${engine.Version}, action on ${ACTION_NODE === process.execPath ? `node ${process.version}` : ACTION_NODE}, local registry ${REGISTRY}`, bench: BENCH_ID }
  log(`setup done in ${sec(now() - started, 1)} s; ${meta.machine}`)

  const results = {}
  for (const mode of opts.modes) {
    const boots = bootDelays(opts.runs)
    const r = (results[mode] = { bootMs: boots, action: [], baseline: [], floor: [] })
    for (let i = 0; i < opts.runs; i++) {
      const bootMs = boots[i]
      log(`${mode} #${i + 1} Octopus STANDIN_BOOT_MS=${bootMs}`)
      for (const which of i % 2 ? ['b', 'floor', 'a'] : ['a', 'floor', 'b']) {
        checkInterrupted()
        await setMode(mode)
        if (which === 'a') {
          const a = await runAction(bootMs)
          r.action.push(a)
          log(`${mode} #${i + 1} action   main ${sec(a.mainMs)} s, post ${sec(a.postMs)} s, peak ${(Math.max(a.mainPeakKB, a.postPeakKB) / 1024).toFixed(0)} MB`)
        } else if (which === 'b') {
          const b = await runBaseline(`${mode}${i}`, bootMs)
          r.baseline.push(b)
          log(`${mode} #${i + 1} baseline ${sec(b.ms)} s`)
        } else {
          const f = await runFloor(mode, `${mode}${i}`, bootMs)
          r.floor.push(f)
          log(`${mode} #${i + 1} floor    ${sec(f.floorMs)} s (octopus pull ${sec(f.octoPullMs)}, sql pull ${sec(f.sqlPullMs)}, sql start ${sec(f.sqlStartMs)}, octopus start ${sec(f.octoStartMs)}` +
            (mode === 'cold' ? `; both pulls at once: floor ${sec(f.floorTogetherMs)}, sql signs in ${sec(f.sqlReadyTogetherMs)}, octopus present ${sec(f.octoPullTogetherMs)})` : ')'))
        }
      }
    }
  }
  if (opts.cacheCheck) {
    log('image cache: docker load vs cold pull')
    results.cache = await runCacheCheck(opts.runs)
  }
  await setMode('warm')
  meta.totalMs = now() - started
  const text = report(results, opts, meta)
  console.log(text)
  if (opts.json) {
    mkdirSync(path.dirname(path.resolve(opts.json)), { recursive: true })
    writeFileSync(opts.json, JSON.stringify({ meta, targets: TARGETS, results }, null, 2) + '\n')
    log(`figures written to ${opts.json}`)
  }
}

main()
  .catch((e) => {
    if (interrupted) console.error('[bench] interrupted: no figures')
    else console.error('[bench] failed:', e instanceof Error ? e.message : e)
    process.exitCode = 1
  })
  .finally(() => cleanUpEverything())
