export interface Clock {
  now(): number
}

export const systemClock: Clock = { now: () => performance.now() }

/** One deadline shared by every stage of a wait, so stages cannot each take the whole budget. */
export class Deadline {
  private readonly start: number

  /** `startedAt` (a reading of the clock) lets a deadline count from a moment already past. */
  constructor(
    readonly totalMs: number,
    private readonly clock: Clock = systemClock,
    startedAt?: number,
  ) {
    this.start = startedAt ?? clock.now()
  }

  elapsedMs(): number {
    return this.clock.now() - this.start
  }

  remainingMs(): number {
    return Math.max(0, this.totalMs - this.elapsedMs())
  }

  expired(): boolean {
    return this.remainingMs() <= 0
  }
}

export function seconds(ms: number): string {
  const s = ms / 1000
  return s < 10 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`
}
