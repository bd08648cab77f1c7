import { ensureImage, type ImagePresent } from './docker/pull.js'
import { parseImageReference, registryOf } from './image-reference.js'
import { prefixed } from './log.js'
import type { RunContext } from './run-context.js'

/** Generous: a cold pull of the Windows image over a slow link takes tens of minutes. */
export const PULL_TIMEOUT_MS = 30 * 60 * 1000

const registryOfRef = (ref: string) => registryOf(parseImageReference(ref)?.repository ?? ref)

/** Makes an image present per the pull policy, with its own deadline, and records how long it took. */
export async function provideImage(run: RunContext, ref: string, label: string, signal = run.signal): Promise<ImagePresent> {
  const start = performance.now()
  const timeout = AbortSignal.timeout(PULL_TIMEOUT_MS)
  // The credentials are for the Octopus image's registry; another registry (mcr for SQL Server) gets none.
  const auth = registryOfRef(ref) === registryOfRef(run.settings.octopusImage) ? run.settings.registryAuth : undefined
  try {
    const present = await ensureImage(run.docker, ref, {
      policy: run.settings.pull,
      ...(auth && { auth }),
      signal: AbortSignal.any([signal, timeout]),
      log: prefixed(`[${label}]`),
    })
    run.timings.push([`${label} image ${present.pulled ? 'pulled' : 'present'}`, performance.now() - start])
    return present
  } catch (e) {
    if (timeout.aborted && !signal.aborted) throw new Error(`Timed out after ${PULL_TIMEOUT_MS / 60000} minutes pulling ${ref}`)
    throw e
  }
}
