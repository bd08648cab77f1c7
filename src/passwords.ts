import { randomBytes, randomInt } from 'node:crypto'

/** The random source behind generated secrets and names; tests pass a seeded one. */
export interface Random {
  bytes(n: number): Buffer
  int(maxExclusive: number): number
}

export const cryptoRandom: Random = {
  bytes: (n) => randomBytes(n),
  int: (max) => randomInt(max),
}

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ'
const LOWER = 'abcdefghijkmnopqrstuvwxyz'
const DIGITS = '23456789'
// Symbols that need no quoting in a connection string, a shell or a URL.
const SYMBOLS = '-_.!@#%^*+'

function pick(alphabet: string, random: Random): string {
  return alphabet.charAt(random.int(alphabet.length))
}

/** A password with all four character classes, so it passes both SQL Server's and Octopus's policies. */
export function generatePassword(random: Random = cryptoRandom, length = 24): string {
  const classes = [UPPER, LOWER, DIGITS, SYMBOLS]
  const all = classes.join('')
  const chars = classes.map((c) => pick(c, random))
  while (chars.length < length) chars.push(pick(all, random))
  // Fisher-Yates, so the guaranteed classes are not always at the front.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = random.int(i + 1)
    ;[chars[i], chars[j]] = [chars[j] as string, chars[i] as string]
  }
  return chars.join('')
}

/** Octopus master keys are 16 random bytes, base64: 24 characters ending in `==`. */
export function generateMasterKey(random: Random = cryptoRandom): string {
  return random.bytes(16).toString('base64')
}

export function isMasterKey(value: string): boolean {
  return /^[A-Za-z0-9+/]{22}==$/.test(value) && Buffer.from(value, 'base64').length === 16
}

export function randomSuffix(random: Random = cryptoRandom, length = 6): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
  let out = ''
  for (let i = 0; i < length; i++) out += pick(alphabet, random)
  return out
}

/**
 * SQL Server's sa password policy: 8 to 128 characters, from at least three of upper case, lower
 * case, digits and symbols. Returns what is wrong, or undefined when the password passes.
 */
export function sqlPasswordProblem(password: string): string | undefined {
  if (password.length < 8) return `it has ${password.length} characters; SQL Server needs at least 8`
  if (password.length > 128) return `it has ${password.length} characters; SQL Server allows at most 128`
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length
  if (classes < 3) {
    return `it uses ${classes} of the 4 character classes (upper case, lower case, digits, symbols); SQL Server needs 3`
  }
  return undefined
}
