import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { demuxToLines, FrameDemuxer, LineSplitter, type StreamKind } from '../../src/docker/frames.js'

function frame(kind: StreamKind | 0, payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload
  const header = Buffer.alloc(8)
  header[0] = kind === 0 ? 0 : kind === 'stdout' ? 1 : 2
  header.writeUInt32BE(body.length, 4)
  return Buffer.concat([header, body])
}

/** Feeds the chunks and collects copies of the payloads (the demuxer may hand out views of its buffer). */
function demux(chunks: Buffer[]): Array<[string, StreamKind]> {
  const out: Array<[string, StreamKind]> = []
  const demuxer = new FrameDemuxer((payload, kind) => out.push([Buffer.from(payload).toString('hex'), kind]))
  for (const chunk of chunks) demuxer.push(chunk)
  return out
}

function splitAt(buffer: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buffer.length + 1)))].sort((a, b) => a - b)
  const chunks: Buffer[] = []
  let from = 0
  for (const p of [...points, buffer.length]) {
    chunks.push(buffer.subarray(from, p))
    from = p
  }
  return chunks
}

describe('FrameDemuxer', () => {
  const stream = Buffer.concat([frame('stdout', 'hello\n'), frame('stderr', 'oops\n'), frame('stdout', ''), frame(0, 'in'), frame('stdout', Buffer.alloc(300, 7))])
  const expected: Array<[string, StreamKind]> = [
    [Buffer.from('hello\n').toString('hex'), 'stdout'],
    [Buffer.from('oops\n').toString('hex'), 'stderr'],
    ['', 'stdout'],
    [Buffer.from('in').toString('hex'), 'stdout'],
    [Buffer.alloc(300, 7).toString('hex'), 'stdout'],
  ]

  it('splits frames and tells stderr (type 2) from stdout', () => {
    expect(demux([stream])).toEqual(expected)
  })

  it('gives the same payloads when the stream is split at any single byte boundary', () => {
    for (let i = 0; i <= stream.length; i++) {
      expect(demux([stream.subarray(0, i), stream.subarray(i)]), `split at ${i}`).toEqual(expected)
    }
  })

  it('gives the same payloads when fed one byte at a time', () => {
    expect(demux([...stream].map((b) => Buffer.from([b])))).toEqual(expected)
  })

  it('holds back an incomplete frame until it is complete', () => {
    const out: string[] = []
    const demuxer = new FrameDemuxer((p) => out.push(p.toString()))
    const f = frame('stdout', 'abcdef')
    demuxer.push(f.subarray(0, 7))
    demuxer.push(f.subarray(7, 10))
    expect(out).toEqual([])
    demuxer.push(f.subarray(10))
    expect(out).toEqual(['abcdef'])
  })

  it('gives the same payloads for any chunking of any frames (property)', () => {
    const frames = fc.array(fc.tuple(fc.constantFrom<StreamKind>('stdout', 'stderr'), fc.uint8Array({ maxLength: 40 })), { maxLength: 8 })
    fc.assert(
      fc.property(frames, fc.array(fc.nat(), { maxLength: 12 }), (fs, cuts) => {
        const whole = Buffer.concat(fs.map(([kind, bytes]) => frame(kind, Buffer.from(bytes))))
        const want = fs.map(([kind, bytes]) => [Buffer.from(bytes).toString('hex'), kind])
        expect(demux(splitAt(whole, cuts))).toEqual(want)
      }),
      { numRuns: 1000 },
    )
  })
})

describe('LineSplitter', () => {
  it('emits complete lines and holds a partial one until more arrives', () => {
    const lines: string[] = []
    const splitter = new LineSplitter((l) => lines.push(l))
    splitter.push('one\ntw')
    expect(lines).toEqual(['one'])
    splitter.push('o\r\nthr')
    expect(lines).toEqual(['one', 'two'])
    splitter.push('ee')
    expect(lines).toEqual(['one', 'two'])
    splitter.flush()
    expect(lines).toEqual(['one', 'two', 'three'])
    splitter.flush()
    expect(lines).toEqual(['one', 'two', 'three'])
  })

  it('keeps empty lines but adds none for a trailing newline', () => {
    const lines: string[] = []
    const splitter = new LineSplitter((l) => lines.push(l))
    splitter.push('a\n\nb\n')
    splitter.flush()
    expect(lines).toEqual(['a', '', 'b'])
  })

  it('strips a carriage return split from its newline, and only at the end of a line', () => {
    const lines: string[] = []
    const splitter = new LineSplitter((l) => lines.push(l))
    splitter.push('a\rb\r')
    splitter.push('\nlast\r')
    splitter.flush()
    expect(lines).toEqual(['a\rb', 'last'])
  })

  it('gives the same lines for any chunking (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', '\n', '\r', ' ', 'é'), { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 8 }), (chars, cuts) => {
        const text = chars.join('')
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b)
        const whole: string[] = []
        const w = new LineSplitter((l) => whole.push(l))
        w.push(text)
        w.flush()
        const pieces: string[] = []
        const p = new LineSplitter((l) => pieces.push(l))
        let from = 0
        for (const at of [...points, text.length]) {
          p.push(text.slice(from, at))
          from = at
        }
        p.flush()
        expect(pieces).toEqual(whole)
        // Every '\n' ends a line; a non-empty rest is the last line; one '\r' before the end is dropped.
        const segments = text.split('\n')
        const rest = segments.pop()!
        const want = [...segments, ...(rest === '' ? [] : [rest])].map((l) => l.replace(/\r$/, ''))
        expect(whole).toEqual(want)
      }),
      { numRuns: 500 },
    )
  })
})

describe('demuxToLines', () => {
  it('demuxes frames of both streams into lines, joining lines split across frames', () => {
    const buffer = Buffer.concat([frame('stdout', 'first li'), frame('stdout', 'ne\nsecond\r\n'), frame('stderr', 'error line\n'), frame('stdout', 'no newline')])
    expect(demuxToLines(buffer)).toEqual(['first line', 'second', 'error line', 'no newline'])
  })

  it('reads a TTY log as plain text', () => {
    expect(demuxToLines(Buffer.from('a\r\nb\nc'), true)).toEqual(['a', 'b', 'c'])
  })

  it('returns no lines for an empty log', () => {
    expect(demuxToLines(Buffer.alloc(0))).toEqual([])
    expect(demuxToLines(Buffer.alloc(0), true)).toEqual([])
  })

  it('ignores a truncated last frame', () => {
    const buffer = Buffer.concat([frame('stdout', 'whole\n'), frame('stdout', 'cut off\n').subarray(0, 10)])
    expect(demuxToLines(buffer)).toEqual(['whole'])
  })

  it('keeps a multi-byte character that is split across two frames', () => {
    const bytes = Buffer.from('Server started — listening on 8080\n', 'utf8')
    const dash = bytes.indexOf(Buffer.from('—', 'utf8'))
    const buffer = Buffer.concat([frame('stdout', bytes.subarray(0, dash + 1)), frame('stdout', bytes.subarray(dash + 1))])
    expect(demuxToLines(buffer)).toEqual(['Server started — listening on 8080'])
  })
})
