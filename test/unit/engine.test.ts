import { describe, expect, it } from 'vitest'
import { checkDockerHost, EngineUnreachableError } from '../../src/docker/engine.js'

describe('checkDockerHost', () => {
  it.each(['ssh://builder@engine.example', 'SSH://engine:2222'])('refuses DOCKER_HOST=%s, naming it and what would work', (host) => {
    expect(() => checkDockerHost({ DOCKER_HOST: host })).toThrow(EngineUnreachableError)
    expect(() => checkDockerHost({ DOCKER_HOST: host })).toThrow(new RegExp(`DOCKER_HOST is ${host}, an engine reached over SSH.*unix:// or tcp://localhost`))
  })

  it.each([undefined, '', 'unix:///var/run/docker.sock', 'tcp://127.0.0.1:2375'])('accepts DOCKER_HOST=%s', (host) => {
    expect(() => checkDockerHost(host === undefined ? {} : { DOCKER_HOST: host })).not.toThrow()
  })
})
