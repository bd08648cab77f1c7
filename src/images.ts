import * as core from '@actions/core'
import { ensureImage, inspectIfPresent, type ImagePresent, type RegistryAuth } from './docker/pull.js'
import { actionsCacheStore, cacheKey, loadFromCache, type CacheStore } from './image-cache.js'
import { registryOfReference } from './image-reference.js'
import { prefixed, type Log } from './log.js'
import type { RunContext } from './run-context.js'
import { state } from './state.js'
import { CancelledError } from './wait/errors.js'
import { startTimeout } from './wait/timeout-signal.js'

/** Generous: a cold pull of the Windows image over a slow link takes tens of minutes. */
export const PULL_TIMEOUT_MS = 30 * 60 * 1000

let cacheUnavailableNoticed = false

/**
 * With cache-images: loads the image from the Actions cache when a copy for the registry's current
 * digest is there. Returns undefined when it must be pulled, with the key to save it under afterwards.
 */
async function tryCache(
  run: RunContext,
  ref: string,
  auth: RegistryAuth | undefined,
  log: Log,
  store: CacheStore,
  onFound?: () => void,
): Promise<{ present?: ImagePresent; saveKey?: string }> {
  if (run.settings.pull === 'never') return {}
  if (run.settings.pull === 'missing' && (await inspectIfPresent(run.docker, ref))) return {}
  if (!(await store.available())) {
    if (!cacheUnavailableNoticed) core.notice('cache-images: the Actions cache service is not available here, so images are pulled as usual')
    cacheUnavailableNoticed = true
    return {}
  }
  const start = performance.now()
  const lookup = await loadFromCache(run.docker, ref, store, { ...(auth && { auth }), log, ...(onFound && { onFound }) })
  if (!lookup.loaded) {
    log(`${ref} is not loaded from the cache (${lookup.reason}); pulling`)
    return { ...(lookup.key && { saveKey: lookup.key }) }
  }
  const info = await run.docker.getImage(ref).inspect()
  log(`Loaded ${ref} from the Actions cache in ${((performance.now() - start) / 1000).toFixed(1)} s`)
  return { present: { ref, id: info.Id, pulled: false, info } }
}

export interface ProvideOptions {
  signal?: AbortSignal
  store?: CacheStore
  /** Called once the image is known to exist (present, being pulled, or found in the cache), before it is all here. */
  onFound?: () => void
}

/** Makes an image present per the pull policy, with its own deadline, and records how long it took. */
export async function provideImage(run: RunContext, ref: string, label: string, opts: ProvideOptions = {}): Promise<ImagePresent> {
  const { signal = run.signal, store = actionsCacheStore, onFound } = opts
  const start = performance.now()
  const timeout = startTimeout(PULL_TIMEOUT_MS)
  const log = prefixed(`[${label}]`)
  // The credentials are for the Octopus image's registry; another registry (mcr for SQL Server) gets none.
  const auth = registryOfReference(ref) === registryOfReference(run.settings.octopusImage) ? run.settings.registryAuth : undefined
  try {
    const cached = run.settings.cacheImages ? await tryCache(run, ref, auth, log, store, onFound) : {}
    if (cached.present) {
      run.timings.push([`${label} image loaded from cache`, performance.now() - start])
      return cached.present
    }
    const present = await ensureImage(run.docker, ref, {
      policy: run.settings.pull,
      ...(auth && { auth }),
      signal: AbortSignal.any([signal, timeout.signal]),
      log,
      ...(onFound && { onFound }),
    })
    run.timings.push([`${label} image ${present.pulled ? 'pulled' : 'present'}`, performance.now() - start])
    const saveKey = cached.saveKey ?? (present.digest && cacheKey(ref, present.digest))
    if (run.settings.cacheImages && present.pulled && saveKey) state.addCacheSave({ ref, key: saveKey })
    return present
  } catch (e) {
    if (timeout.signal.aborted && !signal.aborted) throw new Error(`Timed out after ${PULL_TIMEOUT_MS / 60000} minutes pulling ${ref}`)
    // A cancel of the run (not another task's failure, which the group reports) names what was under way.
    if (run.signal.aborted) throw new CancelledError(`the ${label} image ${ref}`)
    throw e
  } finally {
    timeout.clear()
  }
}
