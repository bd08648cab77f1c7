import { describe, expect, it } from 'vitest'
import { Deadline, seconds, systemClock } from '../../src/wait/deadline.js'
import { CancelledError, WaitTimeoutError } from '../../src/wait/errors.js'
import { FakeClock } from './helpers.js'

describe('Deadline', () => {
  it('measures from its creation on its clock', () => {
    const clock = new FakeClock(5_000)
    const d = new Deadline(1_000, clock)
    expect(d.totalMs).toBe(1_000)
    expect(d.elapsedMs()).toBe(0)
    expect(d.remainingMs()).toBe(1_000)
    expect(d.expired()).toBe(false)
    clock.advance(400)
    expect(d.elapsedMs()).toBe(400)
    expect(d.remainingMs()).toBe(600)
    expect(d.expired()).toBe(false)
    clock.advance(599.5)
    expect(d.remainingMs()).toBe(0.5)
    expect(d.expired()).toBe(false)
  })

  it('expires exactly at its total and never goes negative', () => {
    const clock = new FakeClock()
    const d = new Deadline(1_000, clock)
    clock.advance(1_000)
    expect(d.expired()).toBe(true)
    expect(d.remainingMs()).toBe(0)
    clock.advance(5_000)
    expect(d.remainingMs()).toBe(0)
    expect(d.elapsedMs()).toBe(6_000)
  })

  it('a zero deadline is expired at once', () => {
    expect(new Deadline(0, new FakeClock()).expired()).toBe(true)
  })

  it('uses the system clock by default', () => {
    const d = new Deadline(60_000)
    expect(d.elapsedMs()).toBeGreaterThanOrEqual(0)
    expect(d.elapsedMs()).toBeLessThan(5_000)
    expect(d.expired()).toBe(false)
    const a = systemClock.now()
    expect(systemClock.now()).toBeGreaterThanOrEqual(a)
  })
})

describe('seconds', () => {
  it.each([
    [0, '0.0 s'],
    [1_500, '1.5 s'],
    [9_940, '9.9 s'],
    [10_000, '10 s'],
    [12_400, '12 s'],
    [12_600, '13 s'],
    [600_000, '600 s'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(seconds(ms)).toBe(text)
  })
})

describe('wait errors', () => {
  it('WaitTimeoutError names what it waited for, for how long and the last answer', () => {
    const e = new WaitTimeoutError('the Octopus API', 600_000, 'HTTP 503')
    expect(e).toBeInstanceOf(Error)
    expect(e.name).toBe('WaitTimeoutError')
    expect(e.message).toBe('Timed out after 600 s waiting for the Octopus API. Last answer: HTTP 503')
    expect([e.waitedFor, e.waitedMs, e.lastAnswer, e.stageMs]).toEqual(['the Octopus API', 600_000, 'HTTP 503', 600_000])
  })

  it("WaitTimeoutError drops a last answer's own closing full stops, so the sentence does not end in two", () => {
    expect(new WaitTimeoutError('SQL', 1000, 'Server is Online..').message).toBe('Timed out after 1.0 s waiting for SQL. Last answer: Server is Online')
  })

  it('WaitTimeoutError leaves out a missing last answer', () => {
    expect(new WaitTimeoutError('x', 2_000, undefined).message).toBe('Timed out after 2.0 s waiting for x')
    expect(new WaitTimeoutError('x', 2_000, '').message).toBe('Timed out after 2.0 s waiting for x')
  })

  it('WaitTimeoutError says how long the last stage was stuck when it is well short of the whole wait', () => {
    expect(new WaitTimeoutError('SQL', 600_000, 'refused', 45_000).message).toBe(
      'Timed out after 600 s waiting for SQL; stuck on this check for the last 45 s. Last answer: refused',
    )
    expect(new WaitTimeoutError('SQL', 10_000, undefined, 9_500).message).toBe('Timed out after 10 s waiting for SQL')
  })

  it('CancelledError names what it waited for', () => {
    const e = new CancelledError('SQL Server')
    expect(e.name).toBe('CancelledError')
    expect(e.message).toBe('Cancelled while waiting for SQL Server')
    expect(e.waitedFor).toBe('SQL Server')
  })
})
