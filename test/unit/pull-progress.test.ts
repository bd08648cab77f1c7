import { describe, expect, it } from 'vitest'
import { PullProgress, type PullEvent } from '../../src/docker/pull-progress.js'

const DIGEST = `sha256:${'ab'.repeat(32)}`

/** A pull stream as the engine writes it for `docker pull octopusdeploy/octopusdeploy:2025.2`. */
const PULL: PullEvent[] = [
  { status: 'Pulling from octopusdeploy/octopusdeploy', id: '2025.2' },
  { status: 'Already exists', progressDetail: {}, id: 'aaa111' },
  { status: 'Pulling fs layer', progressDetail: {}, id: 'bbb222' },
  { status: 'Waiting', progressDetail: {}, id: 'bbb222' },
  { status: 'Downloading', progressDetail: { current: 500_000, total: 2_000_000 }, id: 'bbb222' },
  { status: 'Downloading', progressDetail: { current: 1_500_000, total: 2_000_000 }, id: 'bbb222' },
  { status: 'Verifying Checksum', progressDetail: {}, id: 'bbb222' },
  { status: 'Download complete', progressDetail: {}, id: 'bbb222' },
  { status: 'Extracting', progressDetail: { current: 1_000_000, total: 2_000_000 }, id: 'bbb222' },
  { status: 'Pull complete', progressDetail: {}, id: 'bbb222' },
  { status: `Digest: ${DIGEST}` },
  { status: 'Status: Downloaded newer image for octopusdeploy/octopusdeploy:2025.2' },
]

const lines = (events: PullEvent[]) => events.map((e) => JSON.stringify(e) + '\r\n').join('')

describe('PullProgress', () => {
  it('reads the digest and the final status', () => {
    const p = new PullProgress()
    for (const e of PULL) p.push(e)
    expect(p.digest).toBe(DIGEST)
    expect(p.status).toBe('Downloaded newer image for octopusdeploy/octopusdeploy:2025.2')
    expect(p.error).toBeUndefined()
  })

  it('summarises layer progress while downloading', () => {
    const p = new PullProgress()
    for (const e of PULL.slice(1, 6)) p.push(e)
    expect(p.summary()).toBe('1/2 layers done, 1.5 MB of 2.0 MB downloaded')
  })

  it('counts a finished layer by its total, whatever its last download progress', () => {
    const p = new PullProgress()
    p.push({ status: 'Downloading', progressDetail: { current: 10, total: 3_000_000 }, id: 'l1' })
    p.push({ status: 'Pull complete', id: 'l1' })
    expect(p.summary()).toBe('1/1 layers done, 3.0 MB of 3.0 MB downloaded')
  })

  it('leaves the byte counts out before any size is known', () => {
    const p = new PullProgress()
    expect(p.summary()).toBe('0/0 layers done')
    p.push({ status: 'Pulling fs layer', id: 'l1' })
    p.push({ status: 'Already exists', id: 'l2' })
    expect(p.summary()).toBe('1/2 layers done')
  })

  it('ignores events whose id names a digest', () => {
    const p = new PullProgress()
    p.push({ status: 'Pulling from library/alpine', id: DIGEST })
    p.push({ status: 'Pull complete', id: 'l1' })
    expect(p.summary()).toBe('1/1 layers done')
  })

  it('does not count the "Pulling from" event (whose id is the tag) as a layer', () => {
    const p = new PullProgress()
    for (const e of PULL) p.push(e)
    expect(p.summary()).toBe('2/2 layers done, 2.0 MB of 2.0 MB downloaded')
  })

  it('keeps the first error, from error or errorDetail', () => {
    const p = new PullProgress()
    p.push({ status: 'Pulling fs layer', id: 'l1' })
    p.push({ errorDetail: { message: 'manifest for x:nope not found' }, error: 'short form' })
    p.push({ error: 'a later error' })
    expect(p.error).toBe('manifest for x:nope not found')

    const q = new PullProgress()
    q.push({ error: 'unauthorized: authentication required' })
    expect(q.error).toBe('unauthorized: authentication required')

    const r = new PullProgress()
    r.push({ errorDetail: { message: 'only detail' } })
    expect(r.error).toBe('only detail')
  })

  it('takes nothing else from an error event', () => {
    const p = new PullProgress()
    p.push({ error: 'boom', status: `Digest: ${DIGEST}`, id: 'l1' })
    expect(p.digest).toBeUndefined()
    expect(p.summary()).toBe('0/0 layers done')
  })

  it('does not take a malformed digest', () => {
    const p = new PullProgress()
    p.push({ status: 'Digest: sha256:nothex' })
    expect(p.digest).toBeUndefined()
  })

  it('reads JSON lines split across chunks at every position', () => {
    const text = lines(PULL)
    for (let i = 0; i <= text.length; i += 7) {
      const p = new PullProgress()
      p.pushText(text.slice(0, i))
      p.pushText(text.slice(i))
      p.end()
      expect(p.digest, `split at ${i}`).toBe(DIGEST)
      expect(p.status).toMatch(/^Downloaded newer image/)
    }
  })

  it('holds a partial line until the next chunk, and reads a last line without newline at the end', () => {
    const p = new PullProgress()
    const errorLine = JSON.stringify({ errorDetail: { message: 'denied' }, error: 'denied' })
    p.pushText(errorLine.slice(0, 15))
    expect(p.error).toBeUndefined()
    p.pushText(errorLine.slice(15))
    expect(p.error).toBeUndefined()
    p.end()
    expect(p.error).toBe('denied')
  })

  it('skips blank and non-JSON lines', () => {
    const p = new PullProgress()
    p.pushText(`\n   \nnot json\n{"status":"Digest: ${DIGEST}"}\n{broken\n`)
    p.end()
    expect(p.digest).toBe(DIGEST)
    expect(p.error).toBeUndefined()
  })
})
