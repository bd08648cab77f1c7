import type Docker from 'dockerode'
import { FrameDemuxer } from './frames.js'

export interface ExecResult {
  exitCode: number
  output: string
}

/** Runs a command in a running container (the Engine API's exec) and collects its output and exit code. */
export async function execCapture(
  container: Docker.Container,
  cmd: string[],
  opts: { env?: string[]; signal: AbortSignal },
): Promise<ExecResult> {
  const exec = await container.exec({ Cmd: cmd, Env: opts.env ?? [], AttachStdout: true, AttachStderr: true, abortSignal: opts.signal })
  const stream = await exec.start({ hijack: true, stdin: false })
  const chunks: Buffer[] = []
  const demuxer = new FrameDemuxer((payload) => chunks.push(Buffer.from(payload)))
  await new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      stream.destroy()
      reject(opts.signal.reason ?? new Error('aborted'))
    }
    stream.on('data', (chunk: Buffer) => demuxer.push(chunk))
    stream.on('end', () => {
      opts.signal.removeEventListener('abort', onAbort)
      resolve()
    })
    stream.on('error', reject)
    opts.signal.addEventListener('abort', onAbort, { once: true })
  })
  const info = await exec.inspect()
  return { exitCode: info.ExitCode ?? -1, output: Buffer.concat(chunks).toString('utf8') }
}
