import { afterAll, describe, expect, it } from 'vitest'
import type { StepResult } from '../../scripts/action-runner.mjs'
import { FIXTURES } from '../fixtures/images.js'
import { cleanUp, docker, errorOf, getJson, leftovers, runMain, runPost, secretLeaks, STANDIN_INPUTS } from './harness.js'

async function addProject(url: string, apiKey: string, name: string): Promise<void> {
  const res = await fetch(`${url}/api/projects`, {
    method: 'POST',
    headers: { 'X-Octopus-ApiKey': apiKey, 'Content-Type': 'application/json' },
    body: JSON.stringify({ Name: name }),
  })
  expect(res.status, await res.clone().text()).toBeLessThan(300)
}

async function projectNames(url: string, apiKey: string): Promise<string[]> {
  const res = await getJson(`${url}/api/projects`, { 'X-Octopus-ApiKey': apiKey })
  expect(res.status).toBe(200)
  const items = (Array.isArray(res.body) ? res.body : res.body.Items) as Array<{ Name: string }>
  return items.map((p) => p.Name)
}

const generations = [
  { label: 'current Linux contract', from: FIXTURES.octopus.currentPreviousVersion, to: FIXTURES.octopus.currentVersion, port: 8080 },
  { label: 'legacy 2018 contract', from: FIXTURES.octopus.legacyVersion, to: '2018.4.0', port: 81 },
]

describe.each(generations)('upgrade-from, $label: $from to $to', ({ from, to, port }) => {
  let old: StepResult | undefined
  let upgraded: StepResult | undefined
  afterAll(() => cleanUp(old, upgraded))

  it('moves database, master key, volumes, network and port to the new version; URL and API key stay valid', async () => {
    old = await runMain({ ...STANDIN_INPUTS, version: from })
    expect(old.exitCode, old.stdout).toBe(0)
    const before = old.outputs
    await addProject(before.url!, before['api-key']!, 'Survives the upgrade')

    upgraded = await runMain({ ...STANDIN_INPUTS, version: to, 'upgrade-from': before['container-name']! })
    expect(upgraded.exitCode, upgraded.stdout).toBe(0)
    const after = upgraded.outputs
    expect(after['server-version']).toBe(to)
    expect(after['previous-version']).toBe(from)
    expect(after.url).toBe(before.url)
    expect(after['container-name']).toBe(before['container-name'])
    expect(after['internal-url']).toBe(`http://${before['container-name']}:${port}`)
    expect(after['master-key']).toBe(before['master-key'])
    expect(after.network).toBe(before.network)
    expect(after['sql-container-name']).toBe(before['sql-container-name'])
    expect(after['admin-password']).toBe(before['admin-password'])
    expect(after['container-id']).not.toBe(before['container-id'])
    expect(upgraded.stdout).toContain(`Upgrading database from ${from} to ${to}`)

    // The earlier step's API key and data live in the database, so both survive.
    expect((await getJson(`${after.url}/api/users/me`, { 'X-Octopus-ApiKey': before['api-key']! })).status).toBe(200)
    expect((await getJson(`${after.url}/api/users/me`, { 'X-Octopus-ApiKey': after['api-key']! })).status).toBe(200)
    expect(await projectNames(after.url!, before['api-key']!)).toContain('Survives the upgrade')

    // The same named volumes are mounted.
    const oldMounts = (await docker.getContainer(after['container-id']!).inspect()).Mounts.map((m) => m.Name).sort()
    expect(oldMounts).toEqual([`${before['container-name']}-artifacts`, `${before['container-name']}-repository`, `${before['container-name']}-tasklogs`])
    expect(secretLeaks(upgraded, [before['admin-password']!, before['master-key']!, after['api-key']!, before['api-key']!])).toEqual([])
  })

  it('post steps in reverse order leave nothing behind', async () => {
    const later = await runPost(upgraded!)
    expect(later.exitCode).toBe(0)
    expect(await leftovers(upgraded!.state.runId!)).toEqual([])
    // The earlier step's SQL container is still there for its own post step.
    expect((await docker.getContainer(old!.outputs['sql-container-name']!).inspect()).State.Running).toBe(true)
    const earlier = await runPost(old!)
    expect(earlier.exitCode).toBe(0)
    expect(earlier.stdout).not.toContain('::warning::')
    expect(await leftovers(old!.state.runId!)).toEqual([])
  })
})

describe('upgrade-from refused by the server: wrong master key', () => {
  let old: StepResult | undefined
  let retry: StepResult | undefined
  afterAll(() => cleanUp(old, retry))

  it('fails with the server\'s own log lines, keeps the database intact, and a correct retry works', async () => {
    old = await runMain({ ...STANDIN_INPUTS, version: FIXTURES.octopus.currentPreviousVersion })
    expect(old.exitCode, old.stdout).toBe(0)
    await addProject(old.outputs.url!, old.outputs['api-key']!, 'Kept')

    const wrongKey = Buffer.alloc(16, 7).toString('base64')
    const started = performance.now()
    const failed = await runMain({ ...STANDIN_INPUTS, 'upgrade-from': old.outputs['container-name']!, 'master-key': wrongKey, timeout: '120' })
    expect(failed.exitCode).toBe(1)
    expect(performance.now() - started).toBeLessThan(60_000)
    const error = errorOf(failed)
    expect(error).toMatch(/exited with code [1-9]/)
    expect(error).toMatch(/master key/i)
    expect(error).toContain(`Last log lines of ${old.outputs['container-name']}`)
    expect(await leftovers(failed.state.runId!)).toEqual([])
    expect(secretLeaks(failed, [wrongKey, old.outputs['master-key']!])).toEqual([])
    expect((await runPost(failed)).exitCode).toBe(0)

    // The SQL container and its database are untouched: the old key still opens them.
    const sql = await docker.getContainer(old.outputs['sql-container-name']!).inspect()
    expect(sql.State.Running).toBe(true)
    retry = await runMain({
      'accept-eula': 'Y',
      image: FIXTURES.octopus.repository,
      version: FIXTURES.octopus.currentVersion,
      name: 'octopus-retry-' + process.pid,
      network: old.outputs.network!,
      'sql-connection-string': old.outputs['sql-connection-string']!,
      'master-key': old.outputs['master-key']!,
      'admin-password': old.outputs['admin-password']!,
    })
    expect(retry.exitCode, retry.stdout).toBe(0)
    expect(await projectNames(retry.outputs.url!, old.outputs['api-key']!)).toContain('Kept')
  })
})

describe('upgrade-from refused by the server: an unexpected upgrade history (moving down a version)', () => {
  let old: StepResult | undefined
  afterAll(() => cleanUp(old))

  it('fails at once with the server\'s own reason and keeps the database for the earlier step', async () => {
    old = await runMain({ ...STANDIN_INPUTS, version: FIXTURES.octopus.currentVersion })
    expect(old.exitCode, old.stdout).toBe(0)
    const started = performance.now()
    const down = await runMain({ ...STANDIN_INPUTS, version: FIXTURES.octopus.currentPreviousVersion, 'upgrade-from': old.outputs['container-name']!, timeout: '120' })
    expect(down.exitCode).toBe(1)
    expect(performance.now() - started).toBeLessThan(60_000)
    const error = errorOf(down)
    expect(error).toMatch(/exited with code [1-9]/)
    expect(error).toContain(`database schema version ${FIXTURES.octopus.currentVersion} is newer than this Octopus Server (${FIXTURES.octopus.currentPreviousVersion})`)
    expect(await leftovers(down.state.runId!)).toEqual([])
    expect((await runPost(down)).exitCode).toBe(0)
    expect((await docker.getContainer(old.outputs['sql-container-name']!).inspect()).State.Running).toBe(true)
  })
})

describe('upgrade-from errors before anything changes', () => {
  let old: StepResult | undefined
  let stranger: Awaited<ReturnType<typeof docker.createContainer>> | undefined
  afterAll(async () => {
    await stranger?.remove({ force: true })
    await cleanUp(old)
  })

  it('names a container that does not exist', async () => {
    const r = await runMain({ ...STANDIN_INPUTS, 'upgrade-from': 'no-such-octopus-container' })
    expect(r.exitCode).toBe(1)
    expect(errorOf(r)).toContain('upgrade-from names "no-such-octopus-container", but no container of that name exists')
    expect(await leftovers(r.state.runId!)).toEqual([])
  })

  it('names a container this action did not start, and leaves it alone', async () => {
    stranger = await docker.createContainer({ name: `stranger-${process.pid}`, Image: FIXTURES.octopus.current, Entrypoint: ['/usr/bin/node', '-e', 'setInterval(() => {}, 1000)'] })
    await stranger.start()
    const r = await runMain({ ...STANDIN_INPUTS, 'upgrade-from': `stranger-${process.pid}` })
    expect(r.exitCode).toBe(1)
    expect(errorOf(r)).toContain('which this action did not start')
    expect((await stranger.inspect()).State.Running).toBe(true)
  })

  it('refuses a different network or a SQL input, and a stopped container', async () => {
    old = await runMain({ ...STANDIN_INPUTS })
    expect(old.exitCode, old.stdout).toBe(0)
    const name = old.outputs['container-name']!
    const otherNetwork = await docker.createNetwork({ Name: `other-net-${process.pid}` })
    try {
      const r = await runMain({
        ...STANDIN_INPUTS,
        'upgrade-from': name,
        network: `other-net-${process.pid}`,
        'sql-password': 'Another-Passw0rd',
        'task-logs-path': '/tmp/upgrade-other-task-logs',
      })
      expect(r.exitCode).toBe(1)
      expect(errorOf(r)).toContain(`task-logs-path is "/tmp/upgrade-other-task-logs" but ${name} has the volume ${name}-tasklogs there`)
      expect(errorOf(r)).toContain(`network is "other-net-${process.pid}" but ${name} is on "${old.outputs.network}"`)
      expect(errorOf(r)).toContain("sql-password differs from the earlier step's")
      expect((await docker.getContainer(name).inspect()).State.Running).toBe(true)
    } finally {
      await otherNetwork.remove()
    }
    await docker.getContainer(name).stop({ t: 5 })
    const stopped = await runMain({ ...STANDIN_INPUTS, 'upgrade-from': name })
    expect(stopped.exitCode).toBe(1)
    expect(errorOf(stopped)).toContain(`upgrade-from names "${name}", which is not running`)
  })
})
