import { describe, expect, it } from 'vitest'
import { checkEngineCanRun, ContractError, contractOf } from '../../src/contract.js'

const LINUX_PATHS = { taskLogs: '/taskLogs', artifacts: '/artifacts', repository: '/repository', import: '/import' }
const WINDOWS_PATHS = { taskLogs: 'C:\\TaskLogs', artifacts: 'C:\\Artifacts', repository: 'C:\\Repository', import: 'C:\\Import' }

describe('contractOf', () => {
  it('takes an image exposing 8080 as the current generation', () => {
    const c = contractOf('octopusdeploy/octopusdeploy:2025.2', { os: 'linux', exposedPorts: ['8080/tcp', '10943/tcp'] })
    expect(c).toEqual({
      generation: 'current',
      os: 'linux',
      httpPort: 8080,
      pollingPort: 10943,
      paths: LINUX_PATHS,
      reason: 'the image exposes port 8080',
    })
  })

  it('takes an image exposing 81 as the legacy generation', () => {
    const c = contractOf('octopusdeploy/octopusdeploy:2018.10', { os: 'windows', exposedPorts: ['81/tcp', '10943/tcp'] })
    expect(c).toEqual({
      generation: 'legacy',
      os: 'windows',
      httpPort: 81,
      pollingPort: 10943,
      paths: WINDOWS_PATHS,
      reason: 'the image exposes port 81',
    })
  })

  it('prefers 8080 when both are exposed', () => {
    expect(contractOf('x', { os: 'windows', exposedPorts: ['81/tcp', '8080/tcp'] })).toMatchObject({ generation: 'current', httpPort: 8080, os: 'windows', paths: WINDOWS_PATHS })
  })

  it('matches whole port numbers, with or without a protocol', () => {
    expect(contractOf('x', { os: 'windows', exposedPorts: ['18080/tcp', '8081/tcp', '810'] })).toMatchObject({ generation: 'legacy', reason: expect.stringContaining('neither') })
    expect(contractOf('x', { os: 'windows', exposedPorts: ['8080'] })).toMatchObject({ generation: 'current' })
    expect(contractOf('x', { os: 'linux', exposedPorts: ['81/udp'] })).toMatchObject({ generation: 'legacy', httpPort: 81 })
  })

  it('falls back on the OS when neither port is exposed', () => {
    expect(contractOf('x', { os: 'linux', exposedPorts: [] })).toMatchObject({
      generation: 'current',
      httpPort: 8080,
      paths: LINUX_PATHS,
      reason: 'the image exposes neither 8080 nor 81 and is a linux image',
    })
    expect(contractOf('x', { os: 'windows', exposedPorts: ['443/tcp'] })).toMatchObject({
      generation: 'legacy',
      httpPort: 81,
      paths: WINDOWS_PATHS,
      reason: 'the image exposes neither 8080 nor 81 and is a windows image',
    })
  })

  it('reads the OS case-insensitively and reports it lower-cased', () => {
    expect(contractOf('x', { os: 'Linux', exposedPorts: [] })).toMatchObject({ os: 'linux', paths: LINUX_PATHS })
    expect(contractOf('x', { os: 'WINDOWS', exposedPorts: [] })).toMatchObject({ os: 'windows', paths: WINDOWS_PATHS })
  })

  it.each(['darwin', '', 'linux/amd64'])('rejects the OS %j, naming the image and the OS', (os) => {
    expect(() => contractOf('my/image:1', { os, exposedPorts: ['8080/tcp'] })).toThrow(ContractError)
    expect(() => contractOf('my/image:1', { os, exposedPorts: ['8080/tcp'] })).toThrow(`Image my/image:1 is built for "${os}"`)
  })
})

describe('checkEngineCanRun', () => {
  it('passes when the OSes match, whatever their case', () => {
    expect(() => checkEngineCanRun('x', 'linux', 'linux')).not.toThrow()
    expect(() => checkEngineCanRun('x', 'Windows', 'windows')).not.toThrow()
  })

  it('explains that a Windows image needs a Windows runner', () => {
    let error: unknown
    try {
      checkEngineCanRun('octopusdeploy/octopusdeploy:2018.10', 'windows', 'linux')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ContractError)
    const message = (error as Error).message
    expect(message).toContain('Image octopusdeploy/octopusdeploy:2018.10 is a windows image but this Docker engine runs linux containers')
    expect(message).toContain('need a Windows runner')
    expect(message).toContain('from 2020.3 on')
  })

  it('explains that a Linux image needs a Linux runner', () => {
    expect(() => checkEngineCanRun('img', 'linux', 'windows')).toThrow(/is a linux image but this Docker engine runs windows containers: use a Linux runner/)
  })
})
