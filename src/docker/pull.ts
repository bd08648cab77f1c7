import type Docker from 'dockerode'
import type { PullPolicy } from '../inputs.js'
import { registryOfReference } from '../image-reference.js'
import { engineMessage, isNotFound } from './errors.js'
import { PullProgress } from './pull-progress.js'

export interface RegistryAuth {
  username: string
  password: string
}

export interface EnsureImageOptions {
  policy: PullPolicy
  auth?: RegistryAuth
  signal: AbortSignal
  log: (line: string) => void
  /** How often progress is logged while a pull runs. */
  progressEveryMs?: number
  /** Called once the image is known to exist: present here, or the engine took the pull (the registry has the tag). */
  onFound?: () => void
}

export interface ImagePresent {
  ref: string
  id: string
  pulled: boolean
  digest?: string
  info: Docker.ImageInspectInfo
}

export class ImageUnavailableError extends Error {}

function refused(message: string): boolean {
  return /unauthorized|authentication required|incorrect username or password|no basic auth credentials|denied: /i.test(message)
}

function missing(message: string): boolean {
  return /manifest unknown|not found|does not exist|no such image/i.test(message)
}

function explain(ref: string, message: string, auth?: RegistryAuth): string {
  const registry = registryOfReference(ref)
  if (refused(message) && auth) {
    return `The registry ${registry} refused the credentials in registry-username/registry-password for ${ref}: ${message}`
  }
  if (missing(message) || refused(message)) {
    return (
      `Image ${ref} was not found at ${registry}: ${message}. Check the version and image inputs (is the tag published?)` +
      (auth ? '' : '; for a private registry set registry-username and registry-password')
    )
  }
  return `Pulling ${ref} failed: ${message}. Check the image input, and that the runner can reach ${registry}`
}

/** The image's inspect data, or undefined when the engine does not have it. */
export async function inspectIfPresent(docker: Docker, ref: string): Promise<Docker.ImageInspectInfo | undefined> {
  try {
    return await docker.getImage(ref).inspect()
  } catch (e) {
    if (isNotFound(e)) return undefined
    throw e
  }
}

/** Pulls per the policy and follows the pull to its real end; an error event in the stream fails it. */
export async function ensureImage(docker: Docker, ref: string, opts: EnsureImageOptions): Promise<ImagePresent> {
  if (opts.policy !== 'always') {
    const info = await inspectIfPresent(docker, ref)
    if (info) {
      opts.log(`${ref} is present locally (${info.Id.slice(7, 19)})`)
      opts.onFound?.()
      return { ref, id: info.Id, pulled: false, info }
    }
    if (opts.policy === 'never') {
      throw new ImageUnavailableError(
        `Image ${ref} is not present on this engine and pull is 'never': load or pull it in an earlier step, or set pull to missing`,
      )
    }
  }

  opts.log(`Pulling ${ref}...`)
  const progress = new PullProgress()
  const authconfig = opts.auth && {
    username: opts.auth.username,
    password: opts.auth.password,
    serveraddress: registryOfReference(ref),
  }
  let stream: NodeJS.ReadableStream
  try {
    stream = (await docker.pull(ref, { ...(authconfig && { authconfig }), abortSignal: opts.signal })) as NodeJS.ReadableStream
  } catch (e) {
    if (opts.signal.aborted) throw e
    throw new ImageUnavailableError(explain(ref, engineMessage(e), opts.auth))
  }
  // The engine answers the pull request only after the registry served the manifest: a missing tag or
  // refused credentials fail the request itself.
  opts.onFound?.()

  const every = opts.progressEveryMs ?? 3000
  const timer = setInterval(() => opts.log(`${ref}: ${progress.summary()}`), every)
  try {
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(opts.signal.reason ?? new Error('aborted'))
      const settle = (fn: () => void) => () => {
        opts.signal.removeEventListener('abort', onAbort)
        fn()
      }
      stream.on('data', (chunk: Buffer) => progress.pushText(chunk.toString('utf8')))
      stream.on('end', settle(resolve))
      stream.on('close', settle(resolve))
      stream.on('error', (e) => settle(() => reject(e))())
      opts.signal.addEventListener('abort', onAbort, { once: true })
    })
  } catch (e) {
    if (opts.signal.aborted) throw e
    throw new ImageUnavailableError(explain(ref, engineMessage(e), opts.auth))
  } finally {
    clearInterval(timer)
    progress.end()
  }
  if (progress.error) throw new ImageUnavailableError(explain(ref, progress.error, opts.auth))

  // The stream can close early (a dropped connection): only the engine's own word says the image is here.
  const info = await inspectIfPresent(docker, ref)
  if (!info) throw new ImageUnavailableError(`The pull of ${ref} ended but the engine has no such image; the pull was cut short`)
  opts.log(`Pulled ${ref}: ${progress.status ?? 'done'} (${progress.summary()})`)
  return { ref, id: info.Id, pulled: true, ...(progress.digest && { digest: progress.digest }), info }
}
