import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatImageReference, isValidDigest, isValidTag, parseImageReference, registryOf } from '../../src/image-reference.js'

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`

describe('parseImageReference', () => {
  it.each([
    ['ubuntu', { repository: 'ubuntu' }],
    ['ubuntu:22.04', { repository: 'ubuntu', tag: '22.04' }],
    ['octopusdeploy/octopusdeploy:2025.2.0', { repository: 'octopusdeploy/octopusdeploy', tag: '2025.2.0' }],
    ['localhost:5000/a/b', { repository: 'localhost:5000/a/b' }],
    ['localhost:5000/a/b:v1', { repository: 'localhost:5000/a/b', tag: 'v1' }],
    ['mcr.microsoft.com/mssql/server:2022-latest', { repository: 'mcr.microsoft.com/mssql/server', tag: '2022-latest' }],
    [`alpine@${DIGEST}`, { repository: 'alpine', digest: DIGEST }],
    [`alpine:3.20@${DIGEST}`, { repository: 'alpine', tag: '3.20', digest: DIGEST }],
    ['Registry.Example.com:8443/team/app', { repository: 'Registry.Example.com:8443/team/app' }],
    ['[::1]:5000/app:x', { repository: '[::1]:5000/app', tag: 'x' }],
    ['a__b/c-d--e/f.g_h:T_a-g.1', { repository: 'a__b/c-d--e/f.g_h', tag: 'T_a-g.1' }],
  ])('parses %s', (ref, parsed) => {
    expect(parseImageReference(ref)).toEqual(parsed)
  })

  it.each([
    ['an upper-case repository', 'Ubuntu'],
    ['an upper-case path component', 'octopusdeploy/OctopusDeploy'],
    ['an empty string', ''],
    ['a space', 'octopus deploy'],
    ['an empty component', 'a//b'],
    ['a trailing slash', 'a/'],
    ['an empty tag', 'ubuntu:'],
    ['a tag starting with a dot', 'ubuntu:.x'],
    ['a tag of 129 characters', `ubuntu:${'a'.repeat(129)}`],
    ['a short digest', 'ubuntu@sha256:abc'],
    ['an upper-case digest', `ubuntu@sha256:${'A'.repeat(64)}`],
    ['a digest of another algorithm', `ubuntu@sha512:${'a'.repeat(64)}`],
    ['a separator at the start of a component', 'a/-b'],
    ['a separator at the end of a component', 'a/b.'],
    ['three dots', 'a...b'],
    ['a repository longer than 255', 'a'.repeat(256)],
    ['a scheme', 'https://registry/app'],
  ])('rejects %s', (_label, ref) => {
    expect(parseImageReference(ref)).toBeUndefined()
  })

  it('accepts a repository of exactly 255 characters', () => {
    expect(parseImageReference('a'.repeat(255))).toEqual({ repository: 'a'.repeat(255) })
  })

  it('round-trips through formatImageReference', () => {
    const component = fc.stringMatching(/^[a-z0-9]+([._-][a-z0-9]+){0,2}$/)
    const host = fc.constantFrom(undefined, 'localhost', 'localhost:5000', 'registry.example.com', 'ghcr.io', '127.0.0.1:5000')
    const tag = fc.option(fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/), { nil: undefined })
    const digest = fc.option(fc.stringMatching(/^[a-f0-9]{64}$/).map((h) => `sha256:${h}`), { nil: undefined })
    fc.assert(
      fc.property(host, fc.array(component, { minLength: 1, maxLength: 3 }), tag, digest, (h, path, t, d) => {
        const repository = [...(h ? [h] : []), ...path].join('/')
        const ref = { repository, ...(t && { tag: t }), ...(d && { digest: d }) }
        const text = formatImageReference(ref)
        expect(parseImageReference(text)).toEqual(ref)
        expect(formatImageReference(parseImageReference(text)!)).toBe(text)
      }),
      { numRuns: 500 },
    )
  })
})

describe('formatImageReference', () => {
  it('joins repository, tag and digest', () => {
    expect(formatImageReference({ repository: 'a/b' })).toBe('a/b')
    expect(formatImageReference({ repository: 'a/b', tag: 't' })).toBe('a/b:t')
    expect(formatImageReference({ repository: 'a/b', digest: DIGEST })).toBe(`a/b@${DIGEST}`)
    expect(formatImageReference({ repository: 'a/b', tag: 't', digest: DIGEST })).toBe(`a/b:t@${DIGEST}`)
  })
})

describe('isValidTag and isValidDigest', () => {
  it('checks tags', () => {
    for (const ok of ['latest', '2025.2.0', '_x', 'A', 'a'.repeat(128)]) expect(isValidTag(ok), ok).toBe(true)
    for (const bad of ['', '.x', '-x', 'a b', 'a:b', 'a/b', 'a'.repeat(129), 'é']) expect(isValidTag(bad), bad).toBe(false)
  })

  it('checks digests', () => {
    expect(isValidDigest(DIGEST)).toBe(true)
    for (const bad of ['sha256:', DIGEST.toUpperCase(), `${DIGEST}0`, DIGEST.slice(0, -1), `sha384:${'a'.repeat(64)}`, `SHA256:${'a'.repeat(64)}`]) {
      expect(isValidDigest(bad), bad).toBe(false)
    }
  })
})

describe('registryOf', () => {
  it.each([
    ['ubuntu', 'docker.io'],
    ['octopusdeploy/octopusdeploy', 'docker.io'],
    ['library/ubuntu', 'docker.io'],
    ['docker.io/library/ubuntu', 'docker.io'],
    ['localhost/app', 'localhost'],
    ['localhost:5000/a/b', 'localhost:5000'],
    ['registry.example.com/team/app', 'registry.example.com'],
    ['myregistry:5000/app', 'myregistry:5000'],
    ['ghcr.io/owner/image', 'ghcr.io'],
    ['[::1]:5000/app', '[::1]:5000'],
    ['localhost', 'docker.io'],
  ])('%s pulls from %s', (repository, registry) => {
    expect(registryOf(repository)).toBe(registry)
  })

  it('treats an upper-case first component as a registry host, as the engine does', () => {
    // distribution/reference splitDockerDomain: a first component with upper case cannot be a Docker Hub
    // namespace, so the engine takes it as a host; parseImageReference accepts such a reference.
    expect(parseImageReference('MyRegistry/app')).toEqual({ repository: 'MyRegistry/app' })
    expect(registryOf('MyRegistry/app')).toBe('MyRegistry')
  })
})
