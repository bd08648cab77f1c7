/** Facts pulled out of the engine's error responses (dockerode attaches statusCode and the JSON body). */
export function statusOf(e: unknown): number | undefined {
  return typeof e === 'object' && e !== null && 'statusCode' in e ? Number((e as { statusCode: unknown }).statusCode) : undefined
}

export function engineMessage(e: unknown): string {
  if (typeof e === 'object' && e !== null) {
    const json = (e as { json?: { message?: string } }).json
    if (json && typeof json.message === 'string') return json.message
  }
  return e instanceof Error ? e.message : String(e)
}

export const isNotFound = (e: unknown) => statusOf(e) === 404
export const isConflict = (e: unknown) => statusOf(e) === 409

/** "Bind for 0.0.0.0:8080 failed: port is already allocated" and its variants. */
export function portInUse(e: unknown): boolean {
  return /port is already allocated|address already in use/i.test(engineMessage(e))
}
