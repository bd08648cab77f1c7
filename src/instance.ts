import type Docker from 'dockerode'
import { isNotFound } from './docker/errors.js'
import { randomSuffix } from './passwords.js'
import { networkNameFor, sqlContainerName, volumesFor, type Settings } from './settings.js'

export class NameTakenError extends Error {}

/** `id, status` of the container of that name, or undefined when there is none. */
export async function containerExists(docker: Docker, name: string): Promise<string | undefined> {
  try {
    const info = await docker.getContainer(name).inspect()
    return `${info.Id.slice(0, 12)}, ${info.State.Status}`
  } catch (e) {
    if (isNotFound(e)) return undefined
    throw e
  }
}

async function exists(inspect: () => Promise<unknown>): Promise<boolean> {
  try {
    await inspect()
    return true
  } catch (e) {
    if (isNotFound(e)) return false
    throw e
  }
}

/** Names this run will create: the Octopus container, and with our own database the SQL container and network. */
function namesFor(settings: Settings, name: string): string[] {
  return [name, ...(settings.database.kind === 'container' ? [sqlContainerName(name)] : [])]
}

/**
 * Picks the instance name. A given name that is taken is an error; a generated one is drawn again, so
 * several instances in one job never clash.
 */
export async function chooseInstanceName(docker: Docker, settings: Settings): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const name = attempt === 0 ? settings.name : `octopus-${randomSuffix()}`
    // A volume is checked too: the engine does not refuse a volume name that is taken, it hands back that
    // volume, which the post step would then remove with its data.
    const [containers, network, volumes] = await Promise.all([
      Promise.all(namesFor(settings, name).map(async (n) => ({ n, found: await containerExists(docker, n) }))),
      settings.network ? false : exists(() => docker.getNetwork(networkNameFor(name)).inspect()),
      Promise.all(volumesFor(settings, name).map(async ({ volume }) => ({ volume, found: await exists(() => docker.getVolume(volume).inspect()) }))),
    ])
    const clashes = containers.filter((c) => c.found).map((c) => `container ${c.n} (${c.found})`)
    if (network) clashes.push(`network ${networkNameFor(name)}`)
    clashes.push(...volumes.filter((v) => v.found).map((v) => `volume ${v.volume}`))
    if (!clashes.length) return name
    if (settings.nameGiven) {
      throw new NameTakenError(
        `name "${name}" is taken: ${clashes.join(' and ')} already exist${clashes.length > 1 ? '' : 's'}. Choose another name, remove the old one, or leave name empty for a generated one.`,
      )
    }
  }
  throw new NameTakenError('Could not find a free generated name after 5 tries; set the name input')
}
