/** Docker image references: `[host[:port]/]path[:tag][@digest]`, checked the way the engine parses them. */

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*'
const HOST = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?'
const REPOSITORY = new RegExp(`^(?:${HOST}/)?${COMPONENT}(?:/${COMPONENT})*$`)
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/
const DIGEST = /^sha256:[a-f0-9]{64}$/

export interface ImageReference {
  repository: string
  tag?: string
  digest?: string
}

export function isValidTag(tag: string): boolean {
  return TAG.test(tag)
}

export function isValidDigest(digest: string): boolean {
  return DIGEST.test(digest)
}

/** Splits a reference; returns undefined when it is not one the engine would accept. */
export function parseImageReference(ref: string): ImageReference | undefined {
  let rest = ref
  let digest: string | undefined
  const at = rest.indexOf('@')
  if (at >= 0) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
    if (!isValidDigest(digest)) return undefined
  }
  let tag: string | undefined
  const lastColon = rest.lastIndexOf(':')
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1)
    rest = rest.slice(0, lastColon)
    if (!isValidTag(tag)) return undefined
  }
  if (rest.length > 255 || !REPOSITORY.test(rest)) return undefined
  return { repository: rest, ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }) }
}

export function formatImageReference(ref: ImageReference): string {
  return `${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`
}

/** The registry host a full reference (with tag or digest) pulls from. */
export function registryOfReference(ref: string): string {
  return registryOf(parseImageReference(ref)?.repository ?? ref)
}

/** The registry host a reference pulls from, as the engine's auth config names it. */
export function registryOf(repository: string): string {
  const first = repository.split('/')[0] as string
  // As the engine splits names: a first part with '.', ':' or upper case, or `localhost`, is a registry host.
  const hasHost = repository.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase())
  return hasHost ? first : 'docker.io'
}
