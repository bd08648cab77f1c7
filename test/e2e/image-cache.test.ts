import { copyFileSync, existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { StepResult } from '../../scripts/action-runner.mjs'
import { cacheKey, cacheKeyPrefix, loadFromCache, registryDigest, saveToCache, type CacheStore } from '../../src/image-cache.js'
import { FIXTURES } from '../fixtures/images.js'
import { cleanUp, docker, runMain, STANDIN_INPUTS } from './harness.js'

/** The Actions cache, played by a folder: exact key first, else the newest entry with a restore prefix. */
function folderStore(): CacheStore & { keys(): string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'image-cache-'))
  return {
    available: async () => true,
    async save(file, key) {
      copyFileSync(file, path.join(dir, key))
    },
    async restore(file, key, restoreKeys) {
      const entries = readdirSync(dir)
      const exact = entries.includes(key) ? key : undefined
      const byPrefix = entries
        .filter((e) => restoreKeys.some((p) => e.startsWith(p)))
        .sort((a, b) => statSync(path.join(dir, b)).mtimeMs - statSync(path.join(dir, a)).mtimeMs)[0]
      const hit = exact ?? byPrefix
      if (!hit) return undefined
      copyFileSync(path.join(dir, hit), file)
      return hit
    },
    keys: () => readdirSync(dir),
  }
}

const log = () => undefined

describe('image cache (real engine, the Actions cache played by a folder)', () => {
  const ref = FIXTURES.octopus.currentPrevious
  // Only in this test: a reference whose registry does not answer, as in an outage.
  const unreachable = `localhost:5999/fixtures/cache-outage:${process.pid}`
  afterAll(async () => {
    await docker.getImage(unreachable).remove({ force: true }).catch(() => undefined)
  })

  it('misses, saves under the registry digest, then loads the image back without pulling', async () => {
    const store = folderStore()
    const digest = await registryDigest(docker, ref)
    expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/)
    const miss = await loadFromCache(docker, ref, store, { log })
    expect(miss).toEqual({ loaded: false, key: cacheKey(ref, digest!), reason: 'no cached copy' })

    await docker.pull(ref).then((s) => new Promise((r) => docker.modem.followProgress(s, r)))
    await saveToCache(docker, ref, cacheKey(ref, digest!), store)
    expect(store.keys()).toEqual([cacheKey(ref, digest!)])

    await docker.getImage(ref).remove({ force: true })
    const hit = await loadFromCache(docker, ref, store, { log })
    expect(hit).toEqual({ loaded: true, key: cacheKey(ref, digest!) })
    expect((await docker.getImage(ref).inspect()).RepoTags).toContain(ref)
  })

  it('falls back to the newest cached copy when the registry cannot be asked', async () => {
    const store = folderStore()
    await docker.getImage(FIXTURES.octopus.current).tag({ repo: unreachable.split(':').slice(0, 2).join(':'), tag: String(process.pid) })
    await saveToCache(docker, unreachable, `${cacheKeyPrefix(unreachable)}sha256_old`, store)
    await docker.getImage(unreachable).remove({ force: true })

    const lines: string[] = []
    const hit = await loadFromCache(docker, unreachable, store, { log: (l) => lines.push(l) })
    expect(hit.loaded).toBe(true)
    expect(lines.join('\n')).toContain('trying the newest cached copy')
    expect(existsSync(path.join(tmpdir(), 'octopus-server-action-images', `${cacheKeyPrefix(unreachable)}image.tar`))).toBe(false)
  })
})

describe('cache-images through dist/ where the cache service is not available', () => {
  let main: StepResult | undefined
  afterAll(() => cleanUp(main))

  it('says so in one notice and pulls as usual', async () => {
    await docker.getImage(FIXTURES.octopus.latest).remove({ force: true }).catch(() => undefined)
    main = await runMain({ ...STANDIN_INPUTS, version: 'latest', 'cache-images': 'true', pull: 'always' })
    expect(main.exitCode, main.stdout).toBe(0)
    const notices = main.stdout.split('\n').filter((l) => l.startsWith('::notice::'))
    expect(notices).toEqual(['::notice::cache-images: the Actions cache service is not available here, so images are pulled as usual'])
    expect(main.stdout).toContain(`Pulled ${FIXTURES.octopus.latest}`)
  })
})
