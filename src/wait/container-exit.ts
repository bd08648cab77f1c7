import type Docker from 'dockerode'
import { tailLogs } from '../docker/logs.js'

/** A container stopped while the action waited on it; carries its exit code and its own last log lines. */
export class ContainerExitedError extends Error {
  constructor(
    readonly containerName: string,
    readonly exitCode: number,
    readonly logTail: string[],
    waitingFor: string,
  ) {
    super(`Container ${containerName} exited with code ${exitCode} while waiting for ${waitingFor}`)
    this.name = 'ContainerExitedError'
  }
}

/**
 * Runs `task` while watching the container: if the container stops first, the task's signal aborts and
 * the result is a ContainerExitedError, at once rather than at the deadline.
 */
export async function whileRunning<T>(
  container: Docker.Container,
  name: string,
  waitingFor: () => string,
  signal: AbortSignal,
  task: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const stopWatching = new AbortController()
  const exited = new AbortController()
  let exitCode: number | undefined
  container
    .wait({ abortSignal: stopWatching.signal })
    .then((r: { StatusCode: number }) => {
      exitCode = r.StatusCode
      exited.abort()
    })
    .catch(() => undefined)
  try {
    return await task(AbortSignal.any([signal, exited.signal]))
  } catch (e) {
    if (exitCode !== undefined && !signal.aborted) {
      throw new ContainerExitedError(name, exitCode, await tailLogs(container), waitingFor())
    }
    throw e
  } finally {
    stopWatching.abort()
  }
}
