import { seconds } from './deadline.js'

/** A wait ran out of time; says what it waited for, for how long, and the last answer it got. */
export class WaitTimeoutError extends Error {
  constructor(
    readonly waitedFor: string,
    readonly waitedMs: number,
    readonly lastAnswer: string | undefined,
    readonly stageMs: number = waitedMs,
  ) {
    // Said only when this check had a real share of the wait, and not all of it.
    const stuck = stageMs >= 1000 && stageMs < waitedMs - 1000 ? `; stuck on this check for the last ${seconds(stageMs)}` : ''
    const answer = lastAnswer?.trim().replace(/\.+$/, '')
    super(`Timed out after ${seconds(waitedMs)} waiting for ${waitedFor}${stuck}${answer ? `. Last answer: ${answer}` : ''}`)
    this.name = 'WaitTimeoutError'
  }
}

/** The run was cancelled (SIGINT/SIGTERM from the runner) while waiting. */
export class CancelledError extends Error {
  constructor(readonly waitedFor: string) {
    super(`Cancelled while waiting for ${waitedFor}`)
    this.name = 'CancelledError'
  }
}
