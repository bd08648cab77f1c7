/** SQL Server connection strings: `Key=Value;` pairs, keys case-insensitive, values optionally quoted. */

export type ConnectionStringParts = Map<string, string>

const PASSWORD_KEYS = new Set(['password', 'pwd'])
const SERVER_KEYS = ['server', 'data source', 'address', 'addr', 'network address']
const DATABASE_KEYS = ['database', 'initial catalog']

export class ConnectionStringError extends Error {}

/** Parses a connection string; keys are lower-cased. Throws ConnectionStringError naming what is malformed. */
export function parseConnectionString(text: string): ConnectionStringParts {
  const parts: ConnectionStringParts = new Map()
  let i = 0
  while (i < text.length) {
    while (i < text.length && (text[i] === ';' || /\s/.test(text[i] as string))) i++
    if (i >= text.length) break
    const eq = text.indexOf('=', i)
    if (eq < 0) throw new ConnectionStringError(`"${text.slice(i).split(';')[0]}" is not a Key=Value pair`)
    const key = text.slice(i, eq).trim().toLowerCase()
    if (!key) throw new ConnectionStringError('a pair has an empty key')
    i = eq + 1
    while (i < text.length && text[i] === ' ') i++
    let value: string
    const quote = text[i]
    if (quote === '"' || quote === "'") {
      // A doubled quote inside a quoted value stands for one quote character.
      let v = ''
      i++
      for (;;) {
        if (i >= text.length) throw new ConnectionStringError(`the value of ${key} has no closing ${quote}`)
        if (text[i] === quote) {
          if (text[i + 1] === quote) {
            v += quote
            i += 2
            continue
          }
          i++
          break
        }
        v += text[i]
        i++
      }
      value = v
      while (i < text.length && text[i] !== ';') {
        if (!/\s/.test(text[i] as string)) throw new ConnectionStringError(`unexpected text after the quoted value of ${key}`)
        i++
      }
    } else {
      const end = text.indexOf(';', i)
      value = (end < 0 ? text.slice(i) : text.slice(i, end)).trim()
      i = end < 0 ? text.length : end
    }
    parts.set(key, value)
  }
  return parts
}

function quoteIfNeeded(value: string): string {
  if (!/[;'"=]|^\s|\s$/.test(value)) return value
  return `"${value.replace(/"/g, '""')}"`
}

export function formatConnectionString(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([k, v]) => `${k}=${quoteIfNeeded(v)}`).join(';')
}

export function sqlContainerConnectionString(opts: { host: string; port: number; database: string; password: string }): string {
  return formatConnectionString([
    ['Server', `${opts.host},${opts.port}`],
    ['Database', opts.database],
    ['User Id', 'sa'],
    ['Password', opts.password],
    ['TrustServerCertificate', 'True'],
  ])
}

export function findValue(parts: ConnectionStringParts, keys: readonly string[]): string | undefined {
  for (const k of keys) {
    const v = parts.get(k)
    if (v !== undefined && v !== '') return v
  }
  return undefined
}

export const serverOf = (parts: ConnectionStringParts) => findValue(parts, SERVER_KEYS)
export const databaseOf = (parts: ConnectionStringParts) => findValue(parts, DATABASE_KEYS)
export const passwordOf = (parts: ConnectionStringParts) => findValue(parts, [...PASSWORD_KEYS])

/** The same connection string with every password value replaced, for messages. */
export function redactConnectionString(text: string): string {
  return text.replace(/((?:^|;)\s*(?:password|pwd)\s*=\s*)("(?:[^"]|"")*"|'(?:[^']|'')*'|[^;]*)/gi, '$1***')
}
