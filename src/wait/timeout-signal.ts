export interface Timeout {
  /** Aborts with a TimeoutError once the time is up. */
  readonly signal: AbortSignal
  /** Stops the timer when the work it bounds is over. */
  clear(): void
}

/**
 * A time limit, as a signal. Not AbortSignal.timeout: inside AbortSignal.any, on Node 20, that signal can be
 * garbage-collected before it fires, and the wait it bounds never ends (nodejs/node#57736). Here the timer
 * holds the controller. The timer alone does not keep the process alive.
 */
export function startTimeout(ms: number): Timeout {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(new DOMException(`The operation timed out after ${ms} ms`, 'TimeoutError')), ms)
  timer.unref()
  return { signal: controller.signal, clear: () => clearTimeout(timer) }
}
