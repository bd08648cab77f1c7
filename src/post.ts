import * as core from '@actions/core'
import type Docker from 'dockerode'
import { connectEngine } from './docker/engine.js'
import { engineMessage } from './docker/errors.js'
import { actionsCacheStore, saveToCache } from './image-cache.js'
import { removeAndReport } from './resources.js'
import { state } from './state.js'

/** The post step: removes what the main step made, by recorded ids and by run label. Never fails the job. */
export async function runPost(): Promise<void> {
  try {
    const runId = state.runId
    if (!runId) {
      core.info('The main step made nothing to remove.')
      return
    }
    if (!state.cleanup) {
      core.info('cleanup is false: leaving the containers, network and volumes in place.')
      return
    }
    const docker = connectEngine()
    await removeAndReport(docker, runId, state.recorded)
    await saveImageCaches(docker)
  } catch (e) {
    core.warning(`Clean-up failed: ${e instanceof Error ? e.message : String(e)}`)
  }
}

/** Saved after clean-up, so that the time it takes never delays the job's own steps. */
async function saveImageCaches(docker: Docker): Promise<void> {
  for (const { ref, key } of state.cacheSaves) {
    const started = performance.now()
    try {
      await saveToCache(docker, ref, key, actionsCacheStore)
      core.info(`Saved ${ref} to the Actions cache as ${key} in ${((performance.now() - started) / 1000).toFixed(1)} s`)
    } catch (e) {
      core.info(`Did not save ${ref} to the Actions cache: ${engineMessage(e)}`)
    }
  }
}
