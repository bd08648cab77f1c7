/** The engine's pull stream: JSON objects, one a line. Errors arrive as events, not as a failed request. */
export interface PullEvent {
  status?: string
  id?: string
  progressDetail?: { current?: number; total?: number }
  error?: string
  errorDetail?: { message?: string }
}

interface Layer {
  current: number
  total: number
  done: boolean
}

const DONE_STATUSES = /^(Pull complete|Already exists|Download complete)$/

/** Folds pull events into per-layer progress, the final digest and the first error. */
export class PullProgress {
  private readonly layers = new Map<string, Layer>()
  private buffered = ''
  error: string | undefined
  digest: string | undefined
  status: string | undefined

  /** Feeds raw bytes from the pull stream; partial lines wait for the next chunk. */
  pushText(text: string): void {
    const lines = (this.buffered + text).split('\n')
    this.buffered = lines.pop() ?? ''
    for (const line of lines) this.pushLine(line)
  }

  end(): void {
    if (this.buffered.trim()) this.pushLine(this.buffered)
    this.buffered = ''
  }

  pushLine(line: string): void {
    const trimmed = line.trim()
    if (!trimmed) return
    let event: PullEvent
    try {
      event = JSON.parse(trimmed) as PullEvent
    } catch {
      return
    }
    this.push(event)
  }

  push(event: PullEvent): void {
    if (event.error || event.errorDetail?.message) {
      this.error ??= event.errorDetail?.message ?? event.error
      return
    }
    const status = event.status ?? ''
    const digest = /^Digest: (sha256:[a-f0-9]{64})/.exec(status)
    if (digest) this.digest = digest[1]
    if (/^Status: /.test(status)) this.status = status.slice('Status: '.length)
    // Events with an id are per layer, except the first ("Pulling from <repo>", id = the tag).
    if (!event.id || event.id.includes(':') || status.startsWith('Pulling from')) return
    const layer = this.layers.get(event.id) ?? { current: 0, total: 0, done: false }
    if (DONE_STATUSES.test(status)) layer.done = true
    if (status === 'Downloading' && event.progressDetail) {
      layer.current = event.progressDetail.current ?? layer.current
      layer.total = event.progressDetail.total ?? layer.total
    }
    this.layers.set(event.id, layer)
  }

  summary(): string {
    const layers = [...this.layers.values()]
    const done = layers.filter((l) => l.done).length
    const current = layers.reduce((n, l) => n + (l.done ? l.total : l.current), 0)
    const total = layers.reduce((n, l) => n + l.total, 0)
    const bytes = total > 0 ? `, ${mb(current)} of ${mb(total)} downloaded` : ''
    return `${done}/${layers.length} layers done${bytes}`
  }
}

function mb(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`
}
