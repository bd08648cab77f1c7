import type { Random } from '../../src/passwords.js'
import type { Clock } from '../../src/wait/deadline.js'

/** A seeded pseudo-random source (mulberry32): the same seed gives the same sequence. */
export function seededRandom(seed: number): Random & { calls: number } {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const random = {
    calls: 0,
    bytes(n: number): Buffer {
      random.calls++
      return Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256)))
    },
    int(maxExclusive: number): number {
      random.calls++
      return Math.floor(next() * maxExclusive)
    },
  }
  return random
}

/** A clock that only moves when the test moves it. */
export class FakeClock implements Clock {
  constructor(public t = 0) {}
  now(): number {
    return this.t
  }
  advance(ms: number): void {
    this.t += ms
  }
}
