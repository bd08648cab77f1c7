import * as core from '@actions/core'
import type Docker from 'dockerode'
import type { RecordedResources } from './state.js'
import { isConflict, isNotFound, engineMessage } from './docker/errors.js'
import { runFilter } from './docker/labels.js'

/** Records what this step made, as it is made, and hands the list to whoever persists it. */
export class ResourceTracker {
  private readonly made: RecordedResources = { containers: [], networks: [], volumes: [] }

  constructor(private readonly persist: (r: RecordedResources) => void) {}

  add(kind: keyof RecordedResources, id: string): void {
    this.made[kind].push(id)
    this.persist(this.snapshot())
  }

  snapshot(): RecordedResources {
    return { containers: [...this.made.containers], networks: [...this.made.networks], volumes: [...this.made.volumes] }
  }
}

export interface CleanupReport {
  removed: string[]
  problems: string[]
}

async function attempt(what: string, remove: () => Promise<unknown>, report: CleanupReport): Promise<void> {
  try {
    await remove()
    report.removed.push(what)
  } catch (e) {
    // Already gone, or already being removed: the goal is reached either way.
    if (isNotFound(e) || (isConflict(e) && /already in progress/i.test(engineMessage(e)))) return
    report.problems.push(`${what}: ${engineMessage(e)}`)
  }
}

/**
 * Removes one run's containers, then networks, then volumes: by the ids recorded and by the run label,
 * so resources made just before a crash are found too. Idempotent; never throws.
 */
export async function removeRunResources(docker: Docker, runId: string, recorded: RecordedResources): Promise<CleanupReport> {
  const report: CleanupReport = { removed: [], problems: [] }
  const filters = runFilter(runId)
  const listed = async <T>(list: () => Promise<T[]>): Promise<T[]> => {
    try {
      return await list()
    } catch (e) {
      report.problems.push(`listing by label: ${engineMessage(e)}`)
      return []
    }
  }

  const containers = new Set(recorded.containers)
  if (runId) for (const c of await listed(() => docker.listContainers({ all: true, filters }))) containers.add(c.Id)
  // A disposable server needs no graceful drain: force removal kills at once.
  await Promise.all(
    [...containers].map((id) => attempt(`container ${id.slice(0, 12)}`, () => docker.getContainer(id).remove({ force: true, v: true }), report)),
  )

  const networks = new Set(recorded.networks)
  if (runId) for (const n of await listed(() => docker.listNetworks({ filters }))) networks.add(n.Id)
  await Promise.all([...networks].map((id) => attempt(`network ${id.slice(0, 12)}`, () => docker.getNetwork(id).remove(), report)))

  const volumes = new Set(recorded.volumes)
  if (runId) {
    const found = await listed(async () => (await docker.listVolumes({ filters })).Volumes ?? [])
    for (const v of found) volumes.add(v.Name)
  }
  await Promise.all([...volumes].map((name) => attempt(`volume ${name}`, () => docker.getVolume(name).remove(), report)))
  return report
}

/** Removes one run's resources and says in the log what was removed and what could not be. */
export async function removeAndReport(docker: Docker, runId: string, recorded: RecordedResources): Promise<void> {
  const started = performance.now()
  const report = await removeRunResources(docker, runId, recorded)
  for (const removed of report.removed) core.info(`Removed ${removed}`)
  for (const problem of report.problems) core.warning(`Could not remove ${problem}`)
  core.info(`Clean-up took ${((performance.now() - started) / 1000).toFixed(1)} s`)
}
