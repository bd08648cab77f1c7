/** SQL Server connection strings: `Key=Value;` pairs, keys case-insensitive, values optionally quoted. */

export type ConnectionStringParts = Map<string, string>

const PASSWORD_KEYS = new Set(['password', 'pwd'])
const SERVER_KEYS = ['server', 'data source', 'address', 'addr', 'network address']
const DATABASE_KEYS = ['database', 'initial catalog']

export class ConnectionStringError extends Error {}

/**
 * Parses a connection string; keys are lower-cased. Throws ConnectionStringError saying which pair is
 * malformed by its position only: a fragment of a malformed string may be part of a password.
 */
export function parseConnectionString(text: string): ConnectionStringParts {
  const parts: ConnectionStringParts = new Map()
  let i = 0
  let pair = 0
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i] as string)) i++
  }
  while (i < text.length) {
    while (i < text.length && (text[i] === ';' || /\s/.test(text[i] as string))) i++
    if (i >= text.length) break
    pair++
    const eq = text.indexOf('=', i)
    const semicolon = text.indexOf(';', i)
    if (eq < 0 || (semicolon >= 0 && semicolon < eq)) throw new ConnectionStringError(`pair ${pair} is not Key=Value (it has no '=')`)
    const key = text.slice(i, eq).trim().toLowerCase()
    if (!key) throw new ConnectionStringError(`pair ${pair} has an empty key`)
    i = eq + 1
    skipSpace()
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
      skipSpace()
      if (i < text.length && text[i] !== ';') throw new ConnectionStringError(`unexpected text after the quoted value of ${key}`)
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
