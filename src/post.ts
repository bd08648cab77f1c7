import * as core from '@actions/core'
import { connectEngine } from './docker/engine.js'
import { removeRunResources } from './resources.js'
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
    const started = performance.now()
    const report = await removeRunResources(connectEngine(), runId, state.recorded)
    for (const removed of report.removed) core.info(`Removed ${removed}`)
    for (const problem of report.problems) core.warning(`Could not remove ${problem}`)
    core.info(`Clean-up took ${((performance.now() - started) / 1000).toFixed(1)} s`)
  } catch (e) {
    core.warning(`Clean-up failed: ${e instanceof Error ? e.message : String(e)}`)
  }
}
