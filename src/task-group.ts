/**
 * Tasks that run at once and fail together: the first failure stops the others (through their
 * signal), and `settle` waits for all of them, so nothing the group started is still creating
 * containers while the caller cleans up.
 */
export class TaskGroup {
  private readonly stop = new AbortController()
  private readonly tasks: Array<Promise<unknown>> = []
  readonly signal: AbortSignal

  constructor(parent: AbortSignal) {
    this.signal = AbortSignal.any([parent, this.stop.signal])
  }

  spawn<T>(task: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const running = task(this.signal).catch((e: unknown) => {
      if (!this.stop.signal.aborted) this.stop.abort(e)
      throw e
    })
    // Handled here, so a task nobody awaited yet cannot become an unhandled rejection.
    this.tasks.push(running.catch(() => undefined))
    return running
  }

  /** Waits for every task, then returns the failure that came first (the cause), if any. */
  async settle(): Promise<unknown> {
    for (let seen = -1; seen !== this.tasks.length; ) {
      seen = this.tasks.length
      await Promise.all(this.tasks)
    }
    return this.stop.signal.aborted ? this.stop.signal.reason : undefined
  }
}
