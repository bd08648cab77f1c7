import v8 from 'node:v8'
import vm from 'node:vm'
import { describe, expect, it } from 'vitest'
import { startTimeout } from '../../src/wait/timeout-signal.js'

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void

const aborted = (signal: AbortSignal) => new Promise<unknown>((resolve) => signal.addEventListener('abort', () => resolve(signal.reason)))

describe('startTimeout', () => {
  it('aborts with a TimeoutError after the time, also inside AbortSignal.any after a garbage collection (AbortSignal.timeout does not on Node 20)', async () => {
    const signal = AbortSignal.any([startTimeout(100).signal])
    const reason = aborted(signal)
    // After the frame that made it is gone, as in a real wait.
    await new Promise((resolve) => setTimeout(resolve, 20))
    gc()
    const outcome = await Promise.race([reason, new Promise((resolve) => setTimeout(() => resolve('still waiting after 2 s'), 2_000))])
    expect(outcome).toMatchObject({ name: 'TimeoutError' })
  })

  it('does not abort before the time, nor at all once cleared', async () => {
    const early = startTimeout(200)
    const cleared = startTimeout(30)
    cleared.clear()
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect(early.signal.aborted).toBe(false)
    expect(cleared.signal.aborted).toBe(false)
  })
})
