import http from 'node:http'

export interface HttpAnswer {
  status: number
  statusText: string
  setCookies: string[]
  body: string
}

/**
 * One small HTTP request over node:http. The global fetch would load undici on first use, which costs
 * tens of megabytes and a few hundred milliseconds on the path to "ready".
 */
export function request(
  method: 'GET' | 'POST',
  url: string,
  opts: { headers?: Record<string, string>; body?: string; signal: AbortSignal },
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const headers = { Accept: 'application/json', ...opts.headers }
    if (opts.body !== undefined) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(opts.body)) })
    // A fresh connection each time: a kept-alive socket to a server that restarts would only fail later.
    const req = http.request(url, { method, headers, signal: opts.signal, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          setCookies: res.headers['set-cookie'] ?? [],
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      )
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(opts.body)
  })
}
