import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Wakeup } from '../../src/wait/wakeup.js'

/** Tracks whether a promise has settled, without waiting for it. */
function track(promise: Promise<void>): { settled: boolean } {
  const state = { settled: false }
  void promise.then(() => (state.settled = true))
  return state
}

describe('Wakeup', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  const live = () => new AbortController().signal

  it('resolves a pause after its time', async () => {
    const w = new Wakeup()
    const p = track(w.pause(1_000, live()))
    await vi.advanceTimersByTimeAsync(999)
    expect(p.settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(p.settled).toBe(true)
  })

  it('a kick ends a pause at once', async () => {
    const w = new Wakeup()
    const p = track(w.pause(60_000, live()))
    await vi.advanceTimersByTimeAsync(10)
    expect(p.settled).toBe(false)
    w.kick()
    await vi.advanceTimersByTimeAsync(0)
    expect(p.settled).toBe(true)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('a kick ends every pause in progress', async () => {
    const w = new Wakeup()
    const a = track(w.pause(60_000, live()))
    const b = track(w.pause(30_000, live()))
    w.kick()
    await vi.advanceTimersByTimeAsync(0)
    expect([a.settled, b.settled]).toEqual([true, true])
  })

  it('a kick before a pause makes the next pause resolve at once, and only the next', async () => {
    const w = new Wakeup()
    w.kick()
    w.kick()
    const first = track(w.pause(60_000, live()))
    await vi.advanceTimersByTimeAsync(0)
    expect(first.settled).toBe(true)
    const second = track(w.pause(60_000, live()))
    await vi.advanceTimersByTimeAsync(1_000)
    expect(second.settled).toBe(false)
  })

  it('a kick that ended a pause is not remembered for the next one', async () => {
    const w = new Wakeup()
    const first = track(w.pause(60_000, live()))
    w.kick()
    await vi.advanceTimersByTimeAsync(0)
    expect(first.settled).toBe(true)
    const second = track(w.pause(60_000, live()))
    await vi.advanceTimersByTimeAsync(1_000)
    expect(second.settled).toBe(false)
  })

  it('resolves a pause when the signal aborts, and at once when already aborted', async () => {
    const w = new Wakeup()
    const controller = new AbortController()
    const p = track(w.pause(60_000, controller.signal))
    await vi.advanceTimersByTimeAsync(10)
    expect(p.settled).toBe(false)
    controller.abort()
    await vi.advanceTimersByTimeAsync(0)
    expect(p.settled).toBe(true)
    expect(vi.getTimerCount()).toBe(0)

    const again = track(w.pause(60_000, controller.signal))
    await vi.advanceTimersByTimeAsync(0)
    expect(again.settled).toBe(true)
  })

  it('resolves at once for a pause of zero or less', async () => {
    const w = new Wakeup()
    const zero = track(w.pause(0, live()))
    const negative = track(w.pause(-5, live()))
    await vi.advanceTimersByTimeAsync(0)
    expect([zero.settled, negative.settled]).toEqual([true, true])
  })

  it('a pause that timed out leaves no waiter behind for a later kick', async () => {
    const w = new Wakeup()
    const first = track(w.pause(100, live()))
    await vi.advanceTimersByTimeAsync(100)
    expect(first.settled).toBe(true)
    // With no pause in progress, this kick is remembered for the next pause.
    w.kick()
    const second = track(w.pause(60_000, live()))
    await vi.advanceTimersByTimeAsync(0)
    expect(second.settled).toBe(true)
  })
})

describe('Wakeup with real timers', () => {
  it('resolves on timeout and on kick within a few milliseconds', async () => {
    const w = new Wakeup()
    const started = performance.now()
    await w.pause(20, new AbortController().signal)
    expect(performance.now() - started).toBeGreaterThanOrEqual(15)
    setTimeout(() => w.kick(), 5)
    const kicked = performance.now()
    await w.pause(10_000, new AbortController().signal)
    expect(performance.now() - kicked).toBeLessThan(1_000)
  })
})
