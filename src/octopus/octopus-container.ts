import type Docker from 'dockerode'
import type { ImageContract } from '../contract.js'
import type { MountName } from '../inputs.js'
import { labelsFor } from '../docker/labels.js'

export interface OctopusMount {
  type: 'bind' | 'volume'
  source: string
  role: MountName
}

export interface OctopusContainerSpec {
  runId: string
  name: string
  image: string
  contract: ImageContract
  env: string[]
  network: string
  hostPort: number
  pollingPort?: number
  dockerInDocker: boolean
  mounts: OctopusMount[]
  labels: Record<string, string>
}

/**
 * Published on the host's IPv4 addresses only. With no address, engines before Docker 23 publish IPv6 as
 * well, from a separate pool: a random port then differs between the two, so `localhost` over IPv6 can
 * reach another container, and another container's IPv6 port can take a fixed port an upgrade frees.
 */
export const PUBLISH_ON = '0.0.0.0'

/**
 * The Octopus Server container. Stdin stays open (the 2018 image's server process exits when it closes),
 * and the HTTP port is both exposed and bound: a binding without the exposed port is silently dropped.
 */
export function octopusContainerOptions(spec: OctopusContainerSpec): Docker.ContainerCreateOptions {
  const http = `${spec.contract.httpPort}/tcp`
  const polling = `${spec.contract.pollingPort}/tcp`
  const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {
    [http]: [{ HostIp: PUBLISH_ON, HostPort: spec.hostPort ? String(spec.hostPort) : '' }],
  }
  if (spec.pollingPort) bindings[polling] = [{ HostIp: PUBLISH_ON, HostPort: String(spec.pollingPort) }]
  return {
    name: spec.name,
    Image: spec.image,
    Hostname: spec.name,
    Env: spec.env,
    OpenStdin: true,
    StdinOnce: false,
    Tty: false,
    ExposedPorts: { [http]: {}, [polling]: {} },
    Labels: { ...labelsFor(spec.runId, 'octopus', spec.name), ...spec.labels },
    HostConfig: {
      NetworkMode: spec.network,
      PortBindings: bindings,
      Privileged: spec.dockerInDocker,
      RestartPolicy: { Name: 'no' },
      Mounts: spec.mounts.map((m) => ({
        Type: m.type,
        Source: m.source,
        Target: spec.contract.paths[m.role],
        ReadOnly: false,
      })),
    },
    NetworkingConfig: { EndpointsConfig: { [spec.network]: { Aliases: [spec.name] } } },
  }
}

/** The host port the engine bound, read back after start; undefined when the binding was not made. */
export function boundHostPort(info: Docker.ContainerInspectInfo, containerPort: number): number | undefined {
  const bindings = info.NetworkSettings.Ports?.[`${containerPort}/tcp`] ?? []
  const port = bindings.map((b) => Number(b.HostPort)).find((p) => p > 0)
  return port
}
