import { Deadline } from './deadline.js'
import { CancelledError, WaitTimeoutError } from './errors.js'
import { startTimeout } from './timeout-signal.js'
import { Wakeup } from './wakeup.js'

/** Node's timers take at most 2^31-1 ms; a longer deadline is checked again at each poll anyway. */
const MAX_TIMER_MS = 2 ** 31 - 1

export type ProbeOutcome<T> = { ready: true; value: T } | { ready: false; detail: string }

/** One readiness check: asked repeatedly until it reports ready. */
export interface Probe<T> {
  readonly description: string
  check(signal: AbortSignal): Promise<ProbeOutcome<T>>
}

export interface PollOptions {
  deadline: Deadline
  signal: AbortSignal
  /** Pause before the next check; may change as the wait goes on (e.g. shorter once a log line was seen). */
  intervalMs: () => number
  wakeup?: Wakeup
}

/** Thrown by a check whose answer will not change with time (wrong password): the wait ends at once. */
export class FinalAnswerError extends Error {}

export function probe<T>(description: string, check: (signal: AbortSignal) => Promise<ProbeOutcome<T>>): Probe<T> {
  return { description, check }
}

/**
 * Asks the probe until it is ready, the deadline passes or the signal aborts. Each check gets a signal
 * that also aborts at the deadline, so a hanging request cannot outlive the wait.
 */
export async function pollUntilReady<T>(p: Probe<T>, opts: PollOptions): Promise<T> {
  const wakeup = opts.wakeup ?? new Wakeup()
  let last: string | undefined
  const startedMs = opts.deadline.elapsedMs()
  for (;;) {
    if (opts.signal.aborted) throw new CancelledError(p.description)
    const remaining = opts.deadline.remainingMs()
    if (remaining <= 0) throw new WaitTimeoutError(p.description, opts.deadline.totalMs, last, opts.deadline.elapsedMs() - startedMs)
    const timeout = startTimeout(Math.min(MAX_TIMER_MS, Math.max(1, Math.ceil(remaining))))
    const checkSignal = AbortSignal.any([opts.signal, timeout.signal])
    let outcome: ProbeOutcome<T>
    try {
      outcome = await p.check(checkSignal)
    } catch (e) {
      if (opts.signal.aborted) throw new CancelledError(p.description)
      if (e instanceof FinalAnswerError) throw e
      outcome = { ready: false, detail: e instanceof Error ? e.message : String(e) }
    } finally {
      timeout.clear()
    }
    // A check cut short by the deadline says nothing new: the answer before it is the useful one.
    if (!outcome.ready && checkSignal.aborted && last !== undefined) outcome = { ready: false, detail: last }
    if (outcome.ready) return outcome.value
    last = outcome.detail
    await wakeup.pause(Math.min(opts.intervalMs(), opts.deadline.remainingMs()), opts.signal)
  }
}
