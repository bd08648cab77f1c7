import * as core from '@actions/core'
import { getInputs, InputError, maskSecret } from './context.js'
import { checkEngine, connectEngine } from './docker/engine.js'
import { tailLogs } from './docker/logs.js'
import { ImageUnavailableError } from './docker/pull.js'
import { makeHostFolders } from './host-folders.js'
import { NameTakenError } from './instance.js'
import { info } from './log.js'
import { PortTakenError } from './host-ports.js'
import { setOutputs } from './outputs.js'
import { removeAndReport, ResourceTracker } from './resources.js'
import type { RunContext } from './run-context.js'
import { resolveSettings } from './settings.js'
import { startFresh } from './start-fresh.js'
import { state } from './state.js'
import { writeSummary } from './summary.js'
import { upgrade } from './upgrade.js'
import { ContainerExitedError } from './wait/container-exit.js'
import { CancelledError, WaitTimeoutError } from './wait/errors.js'

const TAIL_IN_MESSAGE = 25

/** Failures whose cause is outside the containers: their logs are still shown, but kept out of the message. */
const NOT_ABOUT_THE_CONTAINERS = [ImageUnavailableError, PortTakenError, NameTakenError, CancelledError]

async function logsForFailure(run: RunContext, error: unknown): Promise<string> {
  const sections: string[] = []
  const inMessage = (name: string) =>
    error instanceof ContainerExitedError ? error.containerName === name : !NOT_ABOUT_THE_CONTAINERS.some((kind) => error instanceof kind)
  for (const { name, container } of run.watched) {
    const lines = error instanceof ContainerExitedError && error.containerName === name ? error.logTail : await tailLogs(container)
    if (!lines.length) continue
    core.startGroup(`Last log lines of ${name}`)
    for (const line of lines) core.info(line)
    core.endGroup()
    if (inMessage(name)) {
      sections.push(`Last log lines of ${name}:\n${lines.slice(-TAIL_IN_MESSAGE).join('\n')}`)
    }
  }
  return sections.join('\n\n')
}

/** The main step: inputs, engine, instance, outputs. On any failure: logs shown, resources removed, step failed. */
export async function runMain(signal: AbortSignal): Promise<void> {
  const started = performance.now()
  let run: RunContext | undefined
  try {
    core.startGroup('Checking inputs and the Docker engine')
    const inputs = getInputs()
    const settings = resolveSettings(inputs)
    maskSecret(settings.admin.password)
    maskSecret(settings.masterKey)
    maskSecret(settings.saPassword)
    // An upgrade keeps the earlier instance's folders; a new one gets its own, made before Docker is asked anything.
    if (!settings.upgradeFrom) settings.mounts = makeHostFolders(settings.mounts)
    const docker = connectEngine()
    const engine = await checkEngine(docker, signal)
    // Saved before the first call that makes anything, and not earlier: the post step then has nothing to
    // look for after an input or engine failure.
    state.runId = settings.runId
    state.cleanup = settings.cleanup
    info(`Docker engine ${engine.version} (${engine.os}, API ${engine.apiVersion})`)
    core.endGroup()

    run = {
      docker,
      engine,
      settings,
      signal,
      tracker: new ResourceTracker((r) => (state.recorded = r)),
      timings: [],
      watched: [],
    }
    core.startGroup(settings.upgradeFrom ? `Upgrading ${settings.upgradeFrom} to ${settings.octopusImage}` : `Starting Octopus Server ${settings.octopusImage}`)
    const outputs = settings.upgradeFrom ? await upgrade(run, settings.upgradeFrom) : await startFresh(run)
    core.endGroup()
    run.timings.push(['Total', performance.now() - started])

    setOutputs(outputs)
    info(`Octopus Server ${outputs.serverVersion} is ready at ${outputs.url} (${outputs.internalUrl} from the network ${outputs.network})`)
    await writeSummary(outputs, settings.octopusImage, run.timings)
  } catch (error) {
    core.endGroup()
    await fail(run, error)
  }
}

async function fail(run: RunContext | undefined, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error)
  if (error instanceof InputError || !run) {
    core.setFailed(message)
    return
  }
  const logs = await logsForFailure(run, error)
  // A CancelledError says so itself; any other error after the signal gets the word in front.
  const cancelled = !(error instanceof CancelledError) && run.signal.aborted
  const hint = error instanceof WaitTimeoutError ? `\nThe timeout input is ${run.settings.timeoutSeconds} s; raise it if the server needs longer.` : ''
  core.setFailed(`${cancelled ? 'Cancelled: ' : ''}${message}${hint}${logs ? `\n\n${logs}` : ''}`)
  if (!run.settings.cleanup) {
    core.warning('cleanup is false: the containers, network and volumes are left as they are for inspection')
    return
  }
  core.startGroup('Removing what this step made')
  await removeAndReport(run.docker, run.settings.runId, run.tracker.snapshot())
  core.endGroup()
}
