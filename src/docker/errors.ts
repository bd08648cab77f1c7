/** Facts pulled out of the engine's error responses (dockerode attaches statusCode and the JSON body). */
export function statusOf(e: unknown): number | undefined {
  return typeof e === 'object' && e !== null && 'statusCode' in e ? Number((e as { statusCode: unknown }).statusCode) : undefined
}

/** The engine's own words, without the ": " it leaves dangling when the registry said no more. */
export function engineMessage(e: unknown): string {
  let message = e instanceof Error ? e.message : String(e)
  if (typeof e === 'object' && e !== null) {
    const json = (e as { json?: { message?: string } }).json
    if (json && typeof json.message === 'string') message = json.message
  }
  return message.trim().replace(/:$/, '')
}

export const isNotFound = (e: unknown) => statusOf(e) === 404
export const isConflict = (e: unknown) => statusOf(e) === 409

/** "Bind for 0.0.0.0:8080 failed: port is already allocated" and its variants. */
export function portInUse(e: unknown): boolean {
  return /port is already allocated|address already in use/i.test(engineMessage(e))
}

/**
 * The host port named in a port clash: "Bind for 0.0.0.0:8080 failed: port is already allocated" (another
 * container) or "listen tcp4 0.0.0.0:8080: bind: address already in use" (a process outside Docker).
 */
export function clashingPort(message: string): string | undefined {
  return /:(\d+)(?: failed|: bind)|port (\d+)/.exec(message)?.slice(1).find(Boolean)
}
