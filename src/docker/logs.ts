import type Docker from 'dockerode'
import { demuxToLines, FrameDemuxer, LineSplitter } from './frames.js'

/** The container's own last log lines, for error messages; never throws (the container may be gone). */
export async function tailLogs(container: Docker.Container, lines = 40): Promise<string[]> {
  try {
    const buffer = (await container.logs({ stdout: true, stderr: true, follow: false, tail: lines })) as unknown as Buffer
    return demuxToLines(Buffer.isBuffer(buffer) ? buffer : Buffer.from(String(buffer)))
  } catch {
    return []
  }
}

/**
 * Calls onLine for each log line from the start of the container's log, as it is written. Ends when
 * the container stops or the signal aborts. Resolves when the stream ends; never rejects.
 */
export async function followLogs(container: Docker.Container, onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
  let stream: NodeJS.ReadableStream
  try {
    stream = (await container.logs({ stdout: true, stderr: true, follow: true, abortSignal: signal })) as NodeJS.ReadableStream
  } catch {
    return
  }
  const splitter = new LineSplitter(onLine)
  const demuxer = new FrameDemuxer((payload) => splitter.push(payload))
  await new Promise<void>((resolve) => {
    const finish = () => {
      signal.removeEventListener('abort', finish)
      splitter.flush()
      resolve()
    }
    stream.on('data', (chunk: Buffer) => demuxer.push(chunk))
    stream.on('end', finish)
    stream.on('close', finish)
    stream.on('error', finish)
    signal.addEventListener('abort', () => {
      ;(stream as unknown as { destroy?: () => void }).destroy?.()
      finish()
    }, { once: true })
  })
}
