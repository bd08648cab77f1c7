import { StringDecoder } from 'node:string_decoder'

/**
 * Docker multiplexes stdout and stderr of a non-TTY container into frames: an 8-byte header (stream
 * type, 3 zero bytes, big-endian payload length) and the payload. Frames may arrive split across chunks.
 */
export type StreamKind = 'stdout' | 'stderr'

export class FrameDemuxer {
  private buffer: Buffer = Buffer.alloc(0)

  constructor(private readonly onPayload: (payload: Buffer, kind: StreamKind) => void) {}

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk
    while (this.buffer.length >= 8) {
      const type = this.buffer[0]
      const size = this.buffer.readUInt32BE(4)
      if (this.buffer.length < 8 + size) return
      const payload = this.buffer.subarray(8, 8 + size)
      this.buffer = this.buffer.subarray(8 + size)
      this.onPayload(payload, type === 2 ? 'stderr' : 'stdout')
    }
  }
}

/**
 * Splits a byte stream into text lines, holding back a partial last line until more arrives. Bytes are
 * decoded across chunks, so a character split between two frames is not mangled.
 */
export class LineSplitter {
  private partial = ''
  private readonly decoder = new StringDecoder('utf8')

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk)
    const lines = (this.partial + text).split('\n')
    this.partial = lines.pop() ?? ''
    for (const line of lines) this.onLine(line.replace(/\r$/, ''))
  }

  flush(): void {
    this.partial += this.decoder.end()
    if (this.partial) this.onLine(this.partial.replace(/\r$/, ''))
    this.partial = ''
  }
}

/** Demuxes a complete log buffer (as the engine returns it without `follow`) into lines. */
export function demuxToLines(buffer: Buffer, tty = false): string[] {
  const lines: string[] = []
  const splitter = new LineSplitter((l) => lines.push(l))
  if (tty) splitter.push(buffer)
  else new FrameDemuxer((payload) => splitter.push(payload)).push(buffer)
  splitter.flush()
  return lines
}
