import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  ConnectionStringError,
  databaseOf,
  findValue,
  formatConnectionString,
  parseConnectionString,
  passwordOf,
  serverOf,
  sqlContainerConnectionString,
} from '../../src/connection-string.js'

const parse = (text: string) => Object.fromEntries(parseConnectionString(text))

describe('parseConnectionString', () => {
  it('lower-cases and trims keys, trims unquoted values', () => {
    expect(parse('Server=db,1433;DATABASE=Octopus;  User Id = sa ;Password=p@ss w0rd;')).toEqual({
      server: 'db,1433',
      database: 'Octopus',
      'user id': 'sa',
      password: 'p@ss w0rd',
    })
  })

  it('reads quoted values with ; and = inside, in either quote', () => {
    expect(parse(`Password="a;b=c";Server='x;y'`)).toEqual({ password: 'a;b=c', server: 'x;y' })
  })

  it('reads a doubled quote inside a quoted value as one quote', () => {
    expect(parse(`Password="say ""hi""";Other='it''s'`)).toEqual({ password: 'say "hi"', other: "it's" })
    expect(parse(`Password=""""`)).toEqual({ password: '"' })
  })

  it('keeps the other quote kind literally inside a quoted value', () => {
    expect(parse(`Password="it's";X='a"b'`)).toEqual({ password: "it's", x: 'a"b' })
  })

  it('allows spaces around a quoted value and empty pairs', () => {
    expect(parse(`;; Server = "db" ; ;Password=  'pw'  ;`)).toEqual({ server: 'db', password: 'pw' })
  })

  it('keeps quotes that are not at the start of a value', () => {
    expect(parse(`Password=a"b'c`)).toEqual({ password: `a"b'c` })
  })

  it('reads empty values and an empty string', () => {
    expect(parse('Server=;Password=')).toEqual({ server: '', password: '' })
    expect(parse('')).toEqual({})
    expect(parse('  ;  ')).toEqual({})
  })

  it('lets a later pair override an earlier one, whatever the case of the key', () => {
    expect(parse('Server=a;SERVER=b')).toEqual({ server: 'b' })
  })

  it('throws for a pair without =, naming its position but not its text (it may be part of a password)', () => {
    expect(() => parseConnectionString('Server=db;oops')).toThrow(ConnectionStringError)
    expect(() => parseConnectionString('Server=db;oops')).toThrow("pair 2 is not Key=Value (it has no '=')")
    expect(() => parseConnectionString('justtext')).toThrow("pair 1 is not Key=Value (it has no '=')")
  })

  it('throws for a pair without = even when a later pair has one', () => {
    // ';' ends a pair; "oops" must not become part of the key "oops;database".
    expect(() => parseConnectionString('Server=db;oops;Database=Octopus')).toThrow(ConnectionStringError)
  })

  it('throws for an empty key', () => {
    expect(() => parseConnectionString('=x')).toThrow('pair 1 has an empty key')
    expect(() => parseConnectionString('Server=a; =x')).toThrow(ConnectionStringError)
  })

  it('throws for an unclosed quote, naming the key and the quote', () => {
    expect(() => parseConnectionString('Server=db;Password="abc;def')).toThrow('the value of password has no closing "')
    expect(() => parseConnectionString("Password='abc''")).toThrow("the value of password has no closing '")
  })

  it('throws for text after a quoted value', () => {
    expect(() => parseConnectionString('Password="abc"def;Server=x')).toThrow('unexpected text after the quoted value of password')
  })
})

describe('finding values', () => {
  const parts = parseConnectionString('Data Source=tcp:db,1433;Initial Catalog=Octo;PWD=secret;Server=')

  it('finds the server, database and password under any of their names', () => {
    expect(serverOf(parts)).toBe('tcp:db,1433')
    expect(databaseOf(parts)).toBe('Octo')
    expect(passwordOf(parts)).toBe('secret')
    expect(serverOf(parseConnectionString('Address=a'))).toBe('a')
    expect(serverOf(parseConnectionString('Addr=a'))).toBe('a')
    expect(serverOf(parseConnectionString('Network Address=a'))).toBe('a')
    expect(databaseOf(parseConnectionString('Database=d'))).toBe('d')
    expect(passwordOf(parseConnectionString('Password=p'))).toBe('p')
  })

  it('skips empty values and reports undefined when nothing is there', () => {
    expect(findValue(parseConnectionString('Server=;Data Source=b'), ['server', 'data source'])).toBe('b')
    expect(serverOf(parseConnectionString('Database=x'))).toBeUndefined()
    expect(passwordOf(parseConnectionString('Password='))).toBeUndefined()
  })

  it('prefers the first key in its list', () => {
    expect(findValue(parseConnectionString('Data Source=b;Server=a'), ['server', 'data source'])).toBe('a')
  })
})

describe('formatConnectionString', () => {
  it('quotes only values that need it', () => {
    expect(formatConnectionString([['Server', 'db,1433'], ['Password', 'plain']])).toBe('Server=db,1433;Password=plain')
    expect(formatConnectionString([['Password', 'a;b']])).toBe('Password="a;b"')
    expect(formatConnectionString([['Password', 'say "hi"']])).toBe('Password="say ""hi"""')
    expect(formatConnectionString([['Password', ' lead']])).toBe('Password=" lead"')
    expect(formatConnectionString([['Password', 'a=b']])).toBe('Password="a=b"')
    expect(formatConnectionString([['Password', "it's"]])).toBe(`Password="it's"`)
  })

  it('round-trips any values through parseConnectionString', () => {
    const key = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,14}[A-Za-z0-9]$/)
    const value = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.array(fc.constantFrom('"', "'", ';', '=', ' ', '\t', '\n', 'a', '""', "''", '\u00a0', '\uFEFF'), { maxLength: 12 }).map((a) => a.join('')),
    )
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(key, value), { selector: ([k]) => k.toLowerCase(), maxLength: 6 }), (pairs) => {
        const text = formatConnectionString(pairs)
        expect(parse(text)).toEqual(Object.fromEntries(pairs.map(([k, v]) => [k.toLowerCase(), v])))
      }),
      { numRuns: 1000 },
    )
  })

  it('builds the SQL container connection string', () => {
    const text = sqlContainerConnectionString({ host: 'octo-sql', port: 1433, database: 'Octopus', password: 'a;b"c' })
    expect(parse(text)).toEqual({
      server: 'octo-sql,1433',
      database: 'Octopus',
      'user id': 'sa',
      password: 'a;b"c',
      trustservercertificate: 'True',
    })
  })
})

