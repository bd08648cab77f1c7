/**
 * A pause between polls that ends early when kicked: a log line that says the server is ready kicks
 * the HTTP check, so readiness is noticed at once instead of at the next poll.
 */
export class Wakeup {
  private waiters = new Set<() => void>()
  private pending = false

  kick(): void {
    if (this.waiters.size === 0) {
      this.pending = true
      return
    }
    for (const wake of this.waiters) wake()
    this.waiters.clear()
  }

  /** Resolves after `ms`, on a kick, or on abort; never rejects. */
  pause(ms: number, signal: AbortSignal): Promise<void> {
    if (this.pending) {
      this.pending = false
      return Promise.resolve()
    }
    if (signal.aborted || ms <= 0) return Promise.resolve()
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        signal.removeEventListener('abort', done)
        this.waiters.delete(done)
        resolve()
      }
      const timer = setTimeout(done, Math.min(ms, 2 ** 31 - 1))
      signal.addEventListener('abort', done, { once: true })
      this.waiters.add(done)
    })
  }
}
