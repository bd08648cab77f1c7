import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { cryptoRandom, generateMasterKey, generatePassword, isMasterKey, randomSuffix, sqlPasswordProblem, type Random } from '../../src/passwords.js'
import { seededRandom } from './helpers.js'

const ALPHABET = /^[ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789\-_.!@#%^*+]+$/

/** A Random that always answers the same, to pin down what generatePassword does with its answers. */
const constant = (n: number): Random => ({ bytes: (k) => Buffer.alloc(k, n), int: (max) => Math.min(n, max - 1) })

describe('generatePassword', () => {
  it('always passes the SQL Server policy, at the asked length, from its safe alphabet', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 8, max: 128 }), (seed, length) => {
        const password = generatePassword(seededRandom(seed), length)
        expect(password).toHaveLength(length)
        expect(sqlPasswordProblem(password)).toBeUndefined()
        expect(password).toMatch(ALPHABET)
        // All four classes, so it passes Octopus's policy too.
        for (const re of [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/]) expect(password).toMatch(re)
      }),
      { numRuns: 500 },
    )
  })

  it('is 24 characters by default and uses the crypto source by default', () => {
    const a = generatePassword()
    expect(a).toHaveLength(24)
    expect(sqlPasswordProblem(a)).toBeUndefined()
    expect(generatePassword()).not.toBe(a)
  })

  it('is determined by its random source', () => {
    expect(generatePassword(seededRandom(42))).toBe(generatePassword(seededRandom(42)))
    expect(generatePassword(seededRandom(42))).not.toBe(generatePassword(seededRandom(43)))
    const random = seededRandom(7)
    generatePassword(random, 24)
    // 24 picks and 23 swaps, every one from the source.
    expect(random.calls).toBe(24 + 23)
  })

  it('takes one character of each class, then fills from all of them', () => {
    // int() always 0: picks 'A', 'a', '2', '-' and then the first of all classes ('A') 20 times.
    const password = generatePassword(constant(0), 24)
    const counts = [...password].reduce<Record<string, number>>((c, ch) => ({ ...c, [ch]: (c[ch] ?? 0) + 1 }), {})
    expect(counts).toEqual({ A: 21, a: 1, '2': 1, '-': 1 })
  })

  it('shuffles, so the guaranteed classes are not always at the front', () => {
    const firsts = new Set(Array.from({ length: 200 }, (_, seed) => generatePassword(seededRandom(seed)).slice(0, 4)))
    expect(firsts.size).toBeGreaterThan(150)
    const starts = new Set(Array.from({ length: 200 }, (_, seed) => /[A-Z]/.test(generatePassword(seededRandom(seed))[0]!)))
    expect(starts).toEqual(new Set([true, false]))
  })
})

describe('master keys', () => {
  it('generateMasterKey makes keys that isMasterKey accepts, from 16 bytes of the source', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        const random: Random = { bytes: (n) => (expect(n).toBe(16), Buffer.from(bytes)), int: () => 0 }
        const key = generateMasterKey(random)
        expect(key).toHaveLength(24)
        expect(key.endsWith('==')).toBe(true)
        expect(isMasterKey(key)).toBe(true)
        expect([...Buffer.from(key, 'base64')]).toEqual([...bytes])
      }),
      { numRuns: 300 },
    )
    expect(isMasterKey(generateMasterKey())).toBe(true)
    expect(isMasterKey(generateMasterKey(cryptoRandom))).toBe(true)
  })

  it.each([
    ['15 bytes', Buffer.alloc(15, 1).toString('base64')],
    ['17 bytes', Buffer.alloc(17, 1).toString('base64')],
    ['32 bytes', Buffer.alloc(32, 1).toString('base64')],
    ['16 bytes as hex', Buffer.alloc(16, 1).toString('hex')],
    ['16 bytes as base64url', Buffer.from([0xfb, 0xff, ...Array(14).fill(0xfe)]).toString('base64url') + '=='],
    ['padding missing', Buffer.alloc(16, 1).toString('base64').slice(0, 22)],
    ['surrounding space', ` ${Buffer.alloc(16, 1).toString('base64')}`],
    ['empty', ''],
  ])('isMasterKey rejects %s', (_label, value) => {
    expect(isMasterKey(value)).toBe(false)
  })

  it('isMasterKey accepts any 16 bytes in standard base64', () => {
    expect(isMasterKey(Buffer.from([0xfb, 0xff, ...Array(14).fill(0xfe)]).toString('base64'))).toBe(true)
    expect(isMasterKey(Buffer.alloc(16).toString('base64'))).toBe(true)
  })
})

describe('randomSuffix', () => {
  it('is lower-case letters and digits of the asked length, from the source', () => {
    expect(randomSuffix(seededRandom(1))).toMatch(/^[a-z0-9]{6}$/)
    expect(randomSuffix(seededRandom(1), 12)).toMatch(/^[a-z0-9]{12}$/)
    expect(randomSuffix(seededRandom(5))).toBe(randomSuffix(seededRandom(5)))
    expect(randomSuffix(constant(0), 3)).toBe('aaa')
    expect(randomSuffix(constant(35), 3)).toBe('999')
  })
})

describe('sqlPasswordProblem', () => {
  it.each([
    ['', /has 0 characters.*at least 8/],
    ['Aa1!Aa1', /has 7 characters.*at least 8/],
    ['Aa1!'.repeat(32) + 'A', /has 129 characters.*at most 128/],
    ['abcdefgh', /uses 1 of the 4/],
    ['ABCDEFGH', /uses 1 of the 4/],
    ['12345678', /uses 1 of the 4/],
    ['!@#$%^&*', /uses 1 of the 4/],
    ['abcdEFGH', /uses 2 of the 4/],
    ['abcd1234', /uses 2 of the 4/],
    ['ABCD!@#$', /uses 2 of the 4/],
  ])('finds a problem with %j', (password, problem) => {
    expect(sqlPasswordProblem(password)).toMatch(problem)
  })

  it.each([
    ['exactly 8, upper + lower + digit', 'Abcdefg1'],
    ['exactly 8, lower + digit + symbol', 'abcdef1!'],
    ['exactly 8, upper + digit + symbol', 'ABCDEF1!'],
    ['exactly 8, upper + lower + symbol', 'Abcdefg!'],
    ['128 characters', 'Aa1!'.repeat(32)],
    ['space as the symbol', 'abc def1'],
    ['non-ASCII as the symbol', 'abcdéf12'],
  ])('accepts %s', (_label, password) => {
    expect(password.length >= 8 && password.length <= 128).toBe(true)
    expect(sqlPasswordProblem(password)).toBeUndefined()
  })

  it('checks length before classes', () => {
    expect(sqlPasswordProblem('a')).toMatch(/characters/)
    expect(sqlPasswordProblem('a'.repeat(200))).toMatch(/has 200 characters/)
  })
})
