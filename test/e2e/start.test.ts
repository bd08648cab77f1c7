import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { StepResult } from '../../scripts/action-runner.mjs'
import { FIXTURES } from '../fixtures/images.js'
import { cleanUp, docker, execText, getJson, leftovers, maskedValues, runMain, runPost, secretLeaks, sqlAcceptsSignIns, STANDIN_INPUTS } from './harness.js'

describe('a fresh instance with its own SQL Server container (current Linux contract)', () => {
  let main: StepResult
  afterAll(() => cleanUp(main))

  it('pulls both images from the registry, starts, and exports outputs that work against the live server', async () => {
    // Remove the local copies so the pull path runs for real against the local registry.
    await docker.getImage(FIXTURES.octopus.currentPrevious).remove({ force: true }).catch(() => undefined)
    main = await runMain({ ...STANDIN_INPUTS, version: FIXTURES.octopus.currentPreviousVersion, pull: 'always' })
    expect(main.exitCode, main.stdout + main.stderr).toBe(0)
    const o = main.outputs

    expect(main.stdout).toContain(`Pulled ${FIXTURES.octopus.currentPrevious}`)
    expect(main.stdout).toContain(`Pulled ${FIXTURES.sql.image}`)
    // Order: both pulls done, SQL started, then Octopus created (a create beside a running pull slows
    // both), still before SQL takes sign-ins, and Octopus started only after that.
    const at = (line: string) => {
      const index = main.stdout.indexOf(line)
      expect(index, `a line with ${line}`).toBeGreaterThanOrEqual(0)
      return index
    }
    const sqlName = `${main.outputs['container-name']}-sql`
    expect(at(`Pulled ${FIXTURES.octopus.currentPrevious}`)).toBeLessThan(at(`[sql] ${sqlName} started`))
    expect(at(`Pulled ${FIXTURES.sql.image}`)).toBeLessThan(at(`[sql] ${sqlName} started`))
    expect(at(`[sql] ${sqlName} started`)).toBeLessThan(at(`[octopus] ${main.outputs['container-name']} created`))
    expect(at(`[octopus] ${main.outputs['container-name']} created`)).toBeLessThan(at('[sql] SQL Server accepts sign-ins'))
    expect(at('[sql] SQL Server accepts sign-ins')).toBeLessThan(at(`[octopus] ${main.outputs['container-name']} started`))
    expect(o['server-version']).toBe(FIXTURES.octopus.currentPreviousVersion)
    expect(o.url).toBe(`http://localhost:${o['host-port']}`)
    expect(o['internal-url']).toBe(`http://${o['container-name']}:8080`)
    expect(o['sql-container-name']).toBe(`${o['container-name']}-sql`)
    expect(o['sql-connection-string']).toContain(`Server=${o['sql-container-name']},1433`)
    expect(o['admin-username']).toBe('admin')

    const root = await getJson(`${o.url}/api`)
    expect(root.status).toBe(200)
    expect(root.body.Version).toBe(FIXTURES.octopus.currentPreviousVersion)

    const me = await getJson(`${o.url}/api/users/me`, { 'X-Octopus-ApiKey': o['api-key']! })
    expect(me.status).toBe(200)
    expect(me.body.Username).toBe('admin')
    const wrongKey = await getJson(`${o.url}/api/users/me`, { 'X-Octopus-ApiKey': 'API-WRONGWRONGWRONG' })
    expect(wrongKey.status).toBe(401)

    // The master key output is the one the server holds for its database.
    const shown = await execText(o['container-name']!, [FIXTURES.octopus.cli, 'show-master-key', '--console', '--instance', 'OctopusServer'])
    expect(shown.exitCode).toBe(0)
    expect(shown.output.trim()).toBe(o['master-key'])

    const container = await docker.getContainer(o['container-id']!).inspect()
    // One binding, on IPv4: an engine that also publishes IPv6 may give it another random port.
    expect(container.NetworkSettings.Ports['8080/tcp']).toEqual([{ HostIp: '0.0.0.0', HostPort: o['host-port'] }])
    expect(container.Config.OpenStdin).toBe(true)
    expect(container.HostConfig.Privileged).toBe(false)
    expect(container.Config.Env).toContain('DISABLE_DIND=Y')
    expect(container.Config.Labels?.['io.octopus-server-action.run']).toBe(main.state.runId)

    // SQL starts on the default network and moves to the run's network while it boots: it ends on that one only.
    const sql = await docker.getContainer(o['sql-container-name']!).inspect()
    expect(Object.keys(sql.NetworkSettings.Networks)).toEqual([o.network])
    expect(sql.NetworkSettings.Networks[o.network!]?.Aliases).toContain(o['sql-container-name'])
  })

  it('answers on internal-url from another container on the network', async () => {
    const o = main.outputs
    const probe = await docker.createContainer({
      Image: FIXTURES.octopus.current,
      Entrypoint: ['/usr/bin/node', '-e', `fetch(process.argv[1] + '/api').then(async r => { console.log(r.status, (await r.json()).Version) })`, o['internal-url']!],
      HostConfig: { NetworkMode: o.network! },
    })
    try {
      await probe.start()
      await probe.wait()
      const logs = (await probe.logs({ stdout: true, stderr: true })).toString('utf8')
      expect(logs).toContain(`200 ${FIXTURES.octopus.currentPreviousVersion}`)
    } finally {
      await probe.remove({ force: true })
    }
  })

  it('masks every secret and never writes one to the log, state or summary', () => {
    const o = main.outputs
    const secrets = [o['admin-password']!, o['api-key']!, o['master-key']!, o['sql-connection-string']!]
    const masked = maskedValues(main)
    for (const s of secrets) expect(masked).toContain(s)
    expect(secretLeaks(main, secrets)).toEqual([])
    expect(main.summary).toContain(o.url)
    expect(main.summary).toContain(FIXTURES.octopus.currentPreviousVersion)
  })

  it('is removed entirely by the post step, which can run twice', async () => {
    const runId = main.state.runId!
    expect(await leftovers(runId)).not.toEqual([])
    const post = await runPost(main)
    expect(post.exitCode).toBe(0)
    expect(await leftovers(runId)).toEqual([])
    const again = await runPost(main)
    expect(again.exitCode).toBe(0)
    expect(again.stdout).not.toContain('::warning::')
  })
})

describe('the example on the "Octopus Server Container" docs page (2018 legacy image)', () => {
  let sql: Awaited<ReturnType<typeof docker.createContainer>> | undefined
  let network: Awaited<ReturnType<typeof docker.createNetwork>> | undefined
  let main: StepResult | undefined
  afterAll(async () => {
    await cleanUp(main)
    await sql?.remove({ force: true })
    await network?.remove()
  })

  it('runs 2018.3.13 on host port 1322 with an external database and task logs in a host folder', async () => {
    const saPassword = 'Docs-Example-1'
    network = await docker.createNetwork({ Name: `docs-example-${process.pid}` })
    sql = await docker.createContainer({
      name: `docs-example-sql-${process.pid}`,
      Image: FIXTURES.sql.image,
      Env: ['ACCEPT_EULA=Y', `MSSQL_SA_PASSWORD=${saPassword}`],
      HostConfig: { NetworkMode: `docs-example-${process.pid}` },
    })
    await sql.start()
    await sqlAcceptsSignIns(`docs-example-sql-${process.pid}`, saPassword)
    const taskLogs = mkdtempSync(path.join(tmpdir(), 'tasklogs-'))

    main = await runMain({
      'accept-eula': 'Y',
      image: FIXTURES.octopus.repository,
      version: FIXTURES.octopus.legacyVersion,
      'host-port': '1322',
      network: `docs-example-${process.pid}`,
      'sql-connection-string': `Server=docs-example-sql-${process.pid},1433;Initial Catalog=Octopus;Persist Security Info=False;User ID=sa;Password=${saPassword};MultipleActiveResultSets=False;Connection Timeout=30;`,
      'admin-username': 'admin',
      'admin-password': 'SecreTP@assw0rd',
      'task-logs-path': taskLogs,
    })
    expect(main.exitCode, main.stdout + main.stderr).toBe(0)
    expect(main.stdout).toContain('Legacy 2018 image contract: HTTP on 81')
    expect(main.outputs.url).toBe('http://localhost:1322')
    expect(main.outputs['internal-url']).toBe(`http://${main.outputs['container-name']}:81`)
    expect(main.outputs['server-version']).toBe(FIXTURES.octopus.legacyVersion)
    expect(main.outputs['sql-container-name']).toBe('')
    expect((await getJson('http://localhost:1322/api')).status).toBe(200)
    const me = await getJson('http://localhost:1322/api/users/me', { 'X-Octopus-ApiKey': main.outputs['api-key']! })
    expect(me.body.Username).toBe('admin')

    const env = (await docker.getContainer(main.outputs['container-id']!).inspect()).Config.Env
    expect(env.some((e) => e.startsWith('SqlDbConnectionString=Server=docs-example-sql'))).toBe(true)
    expect(env).toContain('OctopusAdminUsername=admin')
    // The server wrote its task log into the host folder.
    const files = readdirSync(taskLogs)
    expect(files.length).toBeGreaterThan(0)
    expect(readFileSync(path.join(taskLogs, files[0]!), 'utf8').length).toBeGreaterThan(0)
    expect(secretLeaks(main, ['Docs-Example-1', 'SecreTP@assw0rd', main.outputs['api-key']!, main.outputs['master-key']!])).toEqual([])
  })
})

describe('pulling from a registry that needs credentials', () => {
  let main: StepResult | undefined
  afterAll(() => cleanUp(main))

  it('pulls with registry-username and registry-password', async () => {
    await docker.getImage(FIXTURES.privateRegistry.image).remove({ force: true }).catch(() => undefined)
    main = await runMain({
      ...STANDIN_INPUTS,
      image: FIXTURES.privateRegistry.image.split(':').slice(0, 2).join(':'),
      'registry-username': FIXTURES.privateRegistry.username,
      'registry-password': FIXTURES.privateRegistry.password,
    })
    expect(main.exitCode, main.stdout).toBe(0)
    expect(main.stdout).toContain(`Pulled ${FIXTURES.privateRegistry.image}`)
    expect(secretLeaks(main, [FIXTURES.privateRegistry.password])).toEqual([])
  })
})
