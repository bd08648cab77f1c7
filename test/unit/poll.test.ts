import { afterEach, describe, expect, it, vi } from 'vitest'
import { Deadline } from '../../src/wait/deadline.js'
import { CancelledError, WaitTimeoutError } from '../../src/wait/errors.js'
import { FinalAnswerError, pollUntilReady, probe, type ProbeOutcome } from '../../src/wait/poll.js'
import { Wakeup } from '../../src/wait/wakeup.js'
import { FakeClock } from './helpers.js'

const notReady = (detail: string): ProbeOutcome<never> => ({ ready: false, detail })
const live = () => new AbortController().signal

afterEach(() => {
  vi.useRealTimers()
})

describe('pollUntilReady', () => {
  it('returns the value once the probe is ready', async () => {
    const clock = new FakeClock()
    let calls = 0
    const p = probe<string>('the API', async () => (++calls < 3 ? notReady(`attempt ${calls}`) : { ready: true, value: 'v2025.2' }))
    const value = await pollUntilReady(p, { deadline: new Deadline(60_000, clock), signal: live(), intervalMs: () => 0 })
    expect(value).toBe('v2025.2')
    expect(calls).toBe(3)
  })

  it('returns at once without pausing when the first check is ready', async () => {
    vi.useFakeTimers()
    const intervalMs = vi.fn(() => 60_000)
    const value = await pollUntilReady(probe('x', async () => ({ ready: true, value: 42 })), {
      deadline: new Deadline(60_000, new FakeClock()),
      signal: live(),
      intervalMs,
    })
    expect(value).toBe(42)
    expect(intervalMs).not.toHaveBeenCalled()
  })

  it('throws WaitTimeoutError naming the probe and its last answer when the deadline passes', async () => {
    const clock = new FakeClock()
    let calls = 0
    const p = probe('SQL Server to accept sign-ins', async () => {
      calls++
      clock.advance(300)
      return notReady(`login failed (${calls})`)
    })
    const error = await pollUntilReady(p, { deadline: new Deadline(1_000, clock), signal: live(), intervalMs: () => 0 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WaitTimeoutError)
    const timeout = error as WaitTimeoutError
    expect(calls).toBe(4)
    expect(timeout.waitedFor).toBe('SQL Server to accept sign-ins')
    expect(timeout.lastAnswer).toBe('login failed (4)')
    expect(timeout.waitedMs).toBe(1_000)
    expect(timeout.message).toBe('Timed out after 1.0 s waiting for SQL Server to accept sign-ins. Last answer: login failed (4)')
  })

  it('keeps the previous answer when the deadline cuts the last check short', async () => {
    let calls = 0
    const p = probe('GET /api', async (signal) => {
      calls++
      if (calls === 1) return notReady('GET /api answered 503 Service Unavailable')
      // The second check hangs until the deadline's timer aborts it, as a slow HTTP request would.
      return new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error('The operation was aborted due to timeout'))))
    })
    const error = (await pollUntilReady(p, { deadline: new Deadline(50), signal: live(), intervalMs: () => 0 }).catch((e: unknown) => e)) as WaitTimeoutError
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect(error.lastAnswer).toBe('GET /api answered 503 Service Unavailable')
  })

  it('uses the message of a failing check as the last answer', async () => {
    const clock = new FakeClock()
    const p = probe('x', async () => {
      clock.advance(600)
      throw new Error('ECONNREFUSED 127.0.0.1:8080')
    })
    const error = await pollUntilReady(p, { deadline: new Deadline(1_000, clock), signal: live(), intervalMs: () => 0 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect((error as WaitTimeoutError).lastAnswer).toBe('ECONNREFUSED 127.0.0.1:8080')
  })

  it('says how long it was stuck on this check when earlier stages used most of the deadline', async () => {
    const clock = new FakeClock()
    const deadline = new Deadline(10_000, clock)
    clock.advance(7_500)
    const p = probe('the API', async () => {
      clock.advance(500)
      return notReady('HTTP 503')
    })
    const error = (await pollUntilReady(p, { deadline, signal: live(), intervalMs: () => 0 }).catch((e: unknown) => e)) as WaitTimeoutError
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect(error.stageMs).toBe(2_500)
    expect(error.message).toBe('Timed out after 10 s waiting for the API; stuck on this check for the last 2.5 s. Last answer: HTTP 503')
  })

  it('times out without a check when the deadline has already passed', async () => {
    const clock = new FakeClock()
    const deadline = new Deadline(1_000, clock)
    clock.advance(2_000)
    const check = vi.fn(async () => notReady('never asked'))
    await expect(pollUntilReady(probe('x', check), { deadline, signal: live(), intervalMs: () => 0 })).rejects.toBeInstanceOf(WaitTimeoutError)
    expect(check).not.toHaveBeenCalled()
  })

  it('throws CancelledError without a check when the signal is already aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    const check = vi.fn(async () => ({ ready: true as const, value: 1 }))
    const error = await pollUntilReady(probe('the Octopus API', check), {
      deadline: new Deadline(60_000, new FakeClock()),
      signal: controller.signal,
      intervalMs: () => 0,
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CancelledError)
    expect((error as CancelledError).message).toBe('Cancelled while waiting for the Octopus API')
    expect(check).not.toHaveBeenCalled()
  })

  it('throws CancelledError when the signal aborts during the pause', async () => {
    vi.useFakeTimers()
    const controller = new AbortController()
    let calls = 0
    const p = probe('SQL', async () => {
      calls++
      return notReady('not yet')
    })
    const result = pollUntilReady(p, { deadline: new Deadline(3_600_000, new FakeClock()), signal: controller.signal, intervalMs: () => 60_000 }).catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(100)
    expect(calls).toBe(1)
    controller.abort()
    const error = await result
    expect(error).toBeInstanceOf(CancelledError)
    expect((error as CancelledError).waitedFor).toBe('SQL')
    expect(calls).toBe(1)
  })

  it('throws CancelledError when the signal aborts during a check, whatever the check throws', async () => {
    const controller = new AbortController()
    const p = probe('SQL', async (signal) => {
      controller.abort()
      expect(signal.aborted).toBe(true)
      throw new FinalAnswerError('would be final, but the run was cancelled first')
    })
    const error = await pollUntilReady(p, { deadline: new Deadline(60_000, new FakeClock()), signal: controller.signal, intervalMs: () => 0 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CancelledError)
  })

  it('ends the wait at once on a FinalAnswerError', async () => {
    let calls = 0
    const final = new FinalAnswerError('Login failed for user sa: wrong password')
    const p = probe('SQL', async () => {
      calls++
      if (calls === 2) throw final
      return notReady('starting')
    })
    const error = await pollUntilReady(p, { deadline: new Deadline(3_600_000, new FakeClock()), signal: live(), intervalMs: () => 0 }).catch((e: unknown) => e)
    expect(error).toBe(final)
    expect(calls).toBe(2)
  })

  it('keeps asking after an ordinary error', async () => {
    let calls = 0
    const p = probe('SQL', async () => {
      calls++
      if (calls === 1) throw new Error('socket hang up')
      if (calls === 2) throw 'a string'
      return { ready: true, value: 'ok' }
    })
    await expect(pollUntilReady(p, { deadline: new Deadline(60_000, new FakeClock()), signal: live(), intervalMs: () => 0 })).resolves.toBe('ok')
    expect(calls).toBe(3)
  })

  it('pauses for the interval between checks, asking for it each time', async () => {
    vi.useFakeTimers()
    const intervals = [1_000, 250]
    const intervalMs = vi.fn(() => intervals.shift() ?? 5_000)
    let calls = 0
    const p = probe('x', async () => (++calls === 3 ? { ready: true, value: 'done' } : notReady('no')))
    const result = pollUntilReady(p, { deadline: new Deadline(3_600_000, new FakeClock()), signal: live(), intervalMs })
    await vi.advanceTimersByTimeAsync(999)
    expect(calls).toBe(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls).toBe(2)
    await vi.advanceTimersByTimeAsync(249)
    expect(calls).toBe(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls).toBe(3)
    await expect(result).resolves.toBe('done')
    expect(intervalMs).toHaveBeenCalledTimes(2)
  })

  it('pauses no longer than the time left', async () => {
    vi.useFakeTimers()
    const clock = new FakeClock()
    let calls = 0
    const p = probe('x', async () => {
      calls++
      clock.advance(900)
      return notReady('no')
    })
    const result = pollUntilReady(p, { deadline: new Deadline(1_000, clock), signal: live(), intervalMs: () => 60_000 }).catch((e: unknown) => e)
    // 100 ms are left after the first check: the pause must end then, not after 60 s.
    await vi.advanceTimersByTimeAsync(99)
    expect(calls).toBe(1)
    clock.advance(100)
    await vi.advanceTimersByTimeAsync(1)
    expect(await result).toBeInstanceOf(WaitTimeoutError)
    expect(calls).toBe(1)
  })

  it('a kick during the pause makes the next check happen before the interval', async () => {
    vi.useFakeTimers()
    const wakeup = new Wakeup()
    let calls = 0
    const p = probe('the API', async () => (++calls === 2 ? { ready: true, value: 'up' } : notReady('HTTP 503')))
    const result = pollUntilReady(p, { deadline: new Deadline(3_600_000, new FakeClock()), signal: live(), intervalMs: () => 60_000, wakeup })
    await vi.advanceTimersByTimeAsync(1_000)
    expect(calls).toBe(1)
    wakeup.kick()
    await vi.advanceTimersByTimeAsync(0)
    expect(calls).toBe(2)
    await expect(result).resolves.toBe('up')
  })

  it('a kick during a check makes the following pause end at once', async () => {
    vi.useFakeTimers()
    const wakeup = new Wakeup()
    let calls = 0
    const p = probe('the API', async () => {
      calls++
      if (calls === 1) wakeup.kick() // e.g. the log said "ready" while this request was in flight
      return calls === 2 ? { ready: true, value: 'up' } : notReady('HTTP 503')
    })
    const result = pollUntilReady(p, { deadline: new Deadline(3_600_000, new FakeClock()), signal: live(), intervalMs: () => 60_000, wakeup })
    await vi.advanceTimersByTimeAsync(0)
    expect(calls).toBe(2)
    await expect(result).resolves.toBe('up')
  })

  it('gives each check a signal that aborts at the deadline', async () => {
    const deadline = new Deadline(30)
    let calls = 0
    const p = probe('a hanging request', (signal) => {
      calls++
      return new Promise<ProbeOutcome<never>>((_resolve, reject) => {
        signal.addEventListener('abort', () => reject(new Error('request aborted')), { once: true })
      })
    })
    const started = performance.now()
    const error = await pollUntilReady(p, { deadline, signal: live(), intervalMs: () => 0 }).catch((e: unknown) => e)
    expect(performance.now() - started).toBeLessThan(2_000)
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect((error as WaitTimeoutError).lastAnswer).toBe('request aborted')
    expect(calls).toBeGreaterThanOrEqual(1)
  })

  it('works with a deadline longer than the range of a timer', async () => {
    // timeout accepts any positive number of seconds; 60 days is more than 2^32 - 1 ms.
    const deadline = new Deadline(60 * 24 * 3_600_000, new FakeClock())
    const p = probe('x', async () => ({ ready: true, value: 'up' }))
    await expect(pollUntilReady(p, { deadline, signal: live(), intervalMs: () => 0 })).resolves.toBe('up')
  })
})
