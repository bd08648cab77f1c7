import { describe, expect, it } from 'vitest'
import { TaskGroup } from '../../src/task-group.js'

const never = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error('stopped')), { once: true }))

describe('TaskGroup', () => {
  it('stops the other tasks on the first failure and reports that failure as the cause', async () => {
    const group = new TaskGroup(new AbortController().signal)
    const cause = new Error('pull failed')
    let stoppedSeen = false
    const slow = group.spawn(async (signal) => {
      try {
        return await never(signal)
      } finally {
        stoppedSeen = signal.aborted
      }
    })
    const failing = group.spawn(async () => {
      throw cause
    })
    await expect(failing).rejects.toBe(cause)
    await expect(slow).rejects.toThrow('stopped')
    expect(stoppedSeen).toBe(true)
    expect(await group.settle()).toBe(cause)
  })

  it('settles with no cause when every task succeeds, and returns their values', async () => {
    const group = new TaskGroup(new AbortController().signal)
    const a = group.spawn(async () => 1)
    const b = group.spawn(async () => 'two')
    expect(await Promise.all([a, b])).toEqual([1, 'two'])
    expect(await group.settle()).toBeUndefined()
  })

  it('waits in settle for tasks spawned while it waits', async () => {
    const group = new TaskGroup(new AbortController().signal)
    let lateDone = false
    group.spawn(async () => {
      await new Promise((r) => setTimeout(r, 5))
      group.spawn(async () => {
        await new Promise((r) => setTimeout(r, 5))
        lateDone = true
      })
    })
    await group.settle()
    expect(lateDone).toBe(true)
  })

  it('passes the parent abort to every task, and an unawaited failure is not an unhandled rejection', async () => {
    const parent = new AbortController()
    const group = new TaskGroup(parent.signal)
    const unhandled: unknown[] = []
    const onUnhandled = (e: unknown) => unhandled.push(e)
    process.on('unhandledRejection', onUnhandled)
    try {
      group.spawn(never)
      parent.abort()
      const cause = await group.settle()
      await new Promise((r) => setTimeout(r, 10))
      expect((cause as Error).message).toBe('stopped')
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })
})
