import * as core from '@actions/core'
import type { ServerOutputs } from './outputs.js'

export type Timings = Array<[string, number]>

/** The job summary: where the instance is and how long it took. Secrets never go here. */
export async function writeSummary(o: ServerOutputs, image: string, timings: Timings): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const rows = [
    ['URL', o.url],
    ['URL from containers on the network', o.internalUrl],
    ['Octopus Server version', o.serverVersion + (o.previousVersion ? ` (upgraded from ${o.previousVersion})` : '')],
    ['Image', image],
    ['Container', `${o.containerName} (${o.containerId.slice(0, 12)})`],
    ['Database', o.sqlContainerName ? `SQL Server container ${o.sqlContainerName}` : 'external (sql-connection-string)'],
    ['Network', o.network],
    ['Admin user', o.adminUsername],
  ]
  await core.summary
    .addHeading('Octopus Server', 3)
    .addTable([[{ data: 'What', header: true }, { data: 'Value', header: true }], ...rows])
    .addHeading('Timings', 4)
    .addTable([
      [{ data: 'Phase', header: true }, { data: 'Seconds', header: true }],
      ...timings.map(([phase, ms]) => [phase, (ms / 1000).toFixed(1)]),
    ])
    .write()
}
