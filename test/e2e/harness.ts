import Docker from 'dockerode'
import { expect } from 'vitest'
import { runStep, startStep, type StepResult } from '../../scripts/action-runner.mjs'
import { FIXTURES } from '../fixtures/images.js'

export const docker = new Docker()

/** Runs the bundled dist/ as the runner would; ACTION_NODE picks another node binary (e.g. Node 24). */
const node = process.env.ACTION_NODE || process.execPath

/** Inputs that point the action at the stand-ins in the local registry. */
export const STANDIN_INPUTS = {
  'accept-eula': 'Y',
  image: FIXTURES.octopus.repository,
  version: FIXTURES.octopus.currentVersion,
  'sql-image': FIXTURES.sql.image,
} as const

export function runMain(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<StepResult> {
  return runStep({ phase: 'main', inputs, env, node })
}

export function startMain(inputs: Record<string, string>, env: Record<string, string> = {}) {
  return startStep({ phase: 'main', inputs, env, node })
}

export function runPost(main: StepResult, env: Record<string, string> = {}): Promise<StepResult> {
  return runStep({ phase: 'post', state: main.state, env, node })
}

/** Everything on the engine carrying this run's label: must be empty after clean-up. */
export async function leftovers(runId: string): Promise<string[]> {
  expect(runId, 'the main step saved a run id in its state').toMatch(/\S/)
  return labelled(`io.octopus-server-action.run=${runId}`)
}

/** Containers, networks and volumes on the engine that carry the label (`key=value`). */
export async function labelled(label: string): Promise<string[]> {
  const filters = JSON.stringify({ label: [label] })
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ])
  return [
    ...containers.map((c) => `container ${c.Names.join(',')}`),
    ...networks.map((n) => `network ${n.Name}`),
    ...(volumes.Volumes ?? []).map((v) => `volume ${v.Name}`),
  ]
}

/** The error annotation the step printed (the runner shows it as the step's failure). */
export function errorOf(result: StepResult): string {
  const lines = result.stdout.split('\n')
  const start = lines.findIndex((l) => l.startsWith('::error::'))
  if (start < 0) return ''
  return decodeCommand(lines[start]!.slice('::error::'.length))
}

function decodeCommand(text: string): string {
  return text.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%')
}

/**
 * Every place a secret could leak: stdout and stderr (except the runner's own mask commands), the
 * saved state and the job summary. Returns the places where one of the values appears.
 */
export function secretLeaks(result: StepResult, secrets: string[]): string[] {
  const leaks: string[] = []
  const stdout = result.stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n')
  const places: Record<string, string> = {
    stdout: decodeCommand(stdout),
    stderr: result.stderr,
    state: result.stateText,
    summary: result.summary,
  }
  for (const secret of secrets.filter((s) => s.length > 0)) {
    for (const [place, text] of Object.entries(places)) if (text.includes(secret)) leaks.push(`${place} contains "${secret.slice(0, 4)}..."`)
  }
  return leaks
}

/** The values the step asked the runner to mask. */
export function maskedValues(result: StepResult): string[] {
  return result.stdout
    .split('\n')
    .filter((l) => l.startsWith('::add-mask::'))
    .map((l) => decodeCommand(l.slice('::add-mask::'.length)))
}

export async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { headers: { Accept: 'application/json', ...headers } })
  const text = await res.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    // keep text
  }
  return { status: res.status, body }
}

/** Runs a command in a container and returns its stdout (stand-ins have node but no shell). */
export async function execText(containerName: string, cmd: string[]): Promise<{ exitCode: number; output: string }> {
  const container = docker.getContainer(containerName)
  const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true })
  const stream = await exec.start({ hijack: true, stdin: false })
  const chunks: Buffer[] = []
  const out = { write: (c: Buffer) => chunks.push(Buffer.from(c)) }
  docker.modem.demuxStream(stream, out as never, out as never)
  await new Promise((resolve) => stream.on('end', resolve))
  const info = await exec.inspect()
  return { exitCode: info.ExitCode ?? -1, output: Buffer.concat(chunks).toString('utf8') }
}

/** Runs the post step for every main result given, newest first, as the runner does; then checks nothing is left. */
export async function cleanUp(...mains: Array<StepResult | undefined>): Promise<void> {
  for (const main of mains.filter((m): m is StepResult => !!m).reverse()) {
    const post = await runPost(main)
    expect(post.exitCode, `post step output:\n${post.stdout}\n${post.stderr}`).toBe(0)
    if (main.state.runId) expect(await leftovers(main.state.runId)).toEqual([])
  }
}

/**
 * Waits until a SQL Server (stand-in) container lets sa sign in, as a workflow's service health check
 * would before the action is pointed at it with sql-connection-string.
 */
export async function sqlAcceptsSignIns(containerName: string, password: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last = ''
  while (Date.now() < deadline) {
    const r = await execText(containerName, [FIXTURES.sql.sqlcmd, '-C', '-S', 'localhost', '-U', 'sa', '-P', password, '-Q', 'SELECT 1'])
    if (r.exitCode === 0) return
    last = r.output.trim()
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`SQL Server in ${containerName} did not accept sign-ins within ${timeoutMs} ms: ${last}`)
}
