import { createReadStream, createWriteStream, mkdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import type Docker from 'dockerode'
import { engineMessage, isNotFound } from './docker/errors.js'
import { PullProgress } from './docker/pull-progress.js'
import type { RegistryAuth } from './docker/pull.js'
import { registryOfReference } from './image-reference.js'

/** The narrow face of the Actions cache the action uses; tests put a folder behind it. */
export interface CacheStore {
  available(): Promise<boolean>
  restore(file: string, key: string, restoreKeys: string[]): Promise<string | undefined>
  save(file: string, key: string): Promise<void>
}

/**
 * @actions/cache brings the Azure storage SDK: loaded only when cache-images is on, it costs the other
 * runs nothing at start-up.
 */
const loadCache = () => import('@actions/cache')

export const actionsCacheStore: CacheStore = {
  available: async () => (await loadCache()).isFeatureAvailable(),
  restore: async (file, key, restoreKeys) => (await loadCache()).restoreCache([file], key, restoreKeys),
  save: async (file, key) => {
    await (await loadCache()).saveCache([file], key)
  },
}

/** Keys name the image reference and its registry digest: a moved tag never loads a stale copy. */
export function cacheKeyPrefix(ref: string): string {
  return `octopus-server-action-image-${ref.replace(/[^A-Za-z0-9._-]/g, '_')}-`
}

export function cacheKey(ref: string, digest: string): string {
  return `${cacheKeyPrefix(ref)}${digest.replace(':', '_')}`
}

export function cacheFile(ref: string, dir = process.env.RUNNER_TEMP ?? tmpdir()): string {
  const folder = path.join(dir, 'octopus-server-action-images')
  mkdirSync(folder, { recursive: true })
  return path.join(folder, `${cacheKeyPrefix(ref)}image.tar`)
}

/** The digest the registry serves for the reference now, without pulling; undefined when it cannot say. */
export async function registryDigest(docker: Docker, ref: string, auth?: RegistryAuth): Promise<string | undefined> {
  try {
    const authconfig = auth && { ...auth, serveraddress: registryOfReference(ref) }
    const info = await docker.getImage(ref).distribution(authconfig ? ({ authconfig } as object) : {})
    return info.Descriptor?.digest
  } catch {
    return undefined
  }
}

export type CacheLookup = { loaded: true; key: string } | { loaded: false; key?: string; reason: string }

/**
 * Loads the image from the cache when a copy for the registry's current digest is there. When the
 * registry cannot be asked (an outage), the newest cached copy of the reference is taken instead.
 */
export async function loadFromCache(
  docker: Docker,
  ref: string,
  store: CacheStore,
  opts: { auth?: RegistryAuth; log: (line: string) => void; dir?: string; onFound?: () => void },
): Promise<CacheLookup> {
  const digest = await registryDigest(docker, ref, opts.auth)
  const prefix = cacheKeyPrefix(ref)
  const key = digest ? cacheKey(ref, digest) : `${prefix}unknown`
  if (!digest) opts.log(`The registry did not say which digest ${ref} has; trying the newest cached copy`)
  const file = cacheFile(ref, opts.dir)
  let restored: string | undefined
  try {
    restored = await store.restore(file, key, digest ? [] : [prefix])
  } catch (e) {
    return { loaded: false, ...(digest && { key }), reason: `the cache could not be read: ${engineMessage(e)}` }
  }
  if (!restored) return { loaded: false, ...(digest && { key }), reason: 'no cached copy' }
  opts.onFound?.()
  try {
    const stream = await docker.loadImage(createReadStream(file))
    const progress = new PullProgress()
    for await (const chunk of stream as AsyncIterable<Buffer>) progress.pushText(chunk.toString('utf8'))
    progress.end()
    if (progress.error) return { loaded: false, key, reason: `the engine refused the cached copy: ${progress.error}` }
    await docker.getImage(ref).inspect()
    return { loaded: true, key: restored }
  } catch (e) {
    return { loaded: false, key, reason: isNotFound(e) ? `the cached copy did not contain ${ref}` : engineMessage(e) }
  } finally {
    rmSync(file, { force: true })
  }
}

/** Saves the image under the key (`docker save` through the Engine API). */
export async function saveToCache(docker: Docker, ref: string, key: string, store: CacheStore, dir?: string): Promise<void> {
  const file = cacheFile(ref, dir)
  try {
    const tar = await docker.getImage(ref).get()
    await pipeline(tar, createWriteStream(file))
    await store.save(file, key)
  } finally {
    rmSync(file, { force: true })
  }
}
