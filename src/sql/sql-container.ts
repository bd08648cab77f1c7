import type Docker from 'dockerode'
import { labelsFor } from '../docker/labels.js'
import { SQL_PORT } from '../settings.js'

export interface SqlContainerSpec {
  runId: string
  instance: string
  name: string
  image: string
  saPassword: string
  /** Omitted: the engine's default network, for a container that moves to its network once started. */
  network?: string
}

/** The SQL Server container: EULA accepted, sa password under both its current and deprecated names. */
export function sqlContainerOptions(spec: SqlContainerSpec): Docker.ContainerCreateOptions {
  return {
    name: spec.name,
    Image: spec.image,
    Hostname: spec.name,
    Env: ['ACCEPT_EULA=Y', `MSSQL_SA_PASSWORD=${spec.saPassword}`, `SA_PASSWORD=${spec.saPassword}`],
    ExposedPorts: { [`${SQL_PORT}/tcp`]: {} },
    Labels: labelsFor(spec.runId, 'sql', spec.instance),
    HostConfig: { ...(spec.network && { NetworkMode: spec.network }), RestartPolicy: { Name: 'no' } },
    ...(spec.network && { NetworkingConfig: { EndpointsConfig: { [spec.network]: { Aliases: [spec.name] } } } }),
  }
}
