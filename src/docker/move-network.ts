import type Docker from 'dockerode'

/**
 * Connects a started container to `network` under `alias`, then takes it off the networks it started on.
 * Leaving those is best effort: the container publishes no ports, so staying on the default bridge as
 * well does no harm, and an engine whose default network is named otherwise (or that refuses) is fine.
 */
export async function moveToNetwork(docker: Docker, container: Docker.Container, network: string, alias: string): Promise<void> {
  await docker.getNetwork(network).connect({ Container: container.id, EndpointConfig: { Aliases: [alias] } })
  const info = await container.inspect()
  const others = Object.keys(info.NetworkSettings?.Networks ?? {}).filter((name) => name !== network)
  await Promise.all(others.map((name) => docker.getNetwork(name).disconnect({ Container: container.id }).catch(() => undefined)))
}
