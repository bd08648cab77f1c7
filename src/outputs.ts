import * as core from '@actions/core'

export interface ServerOutputs {
  url: string
  internalUrl: string
  hostPort: number
  adminUsername: string
  adminPassword: string
  apiKey: string
  masterKey: string
  serverVersion: string
  containerId: string
  containerName: string
  network: string
  sqlContainerName: string
  sqlConnectionString: string
  previousVersion?: string
}

export function setOutputs(o: ServerOutputs): void {
  core.setOutput('url', o.url)
  core.setOutput('internal-url', o.internalUrl)
  core.setOutput('host-port', String(o.hostPort))
  core.setOutput('admin-username', o.adminUsername)
  core.setOutput('admin-password', o.adminPassword)
  core.setOutput('api-key', o.apiKey)
  core.setOutput('master-key', o.masterKey)
  core.setOutput('server-version', o.serverVersion)
  core.setOutput('container-id', o.containerId)
  core.setOutput('container-name', o.containerName)
  core.setOutput('network', o.network)
  core.setOutput('sql-container-name', o.sqlContainerName)
  core.setOutput('sql-connection-string', o.sqlConnectionString)
  if (o.previousVersion !== undefined) core.setOutput('previous-version', o.previousVersion)
}
