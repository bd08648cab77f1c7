import type { MountName } from './inputs.js'

/**
 * What an Octopus image expects, read from the image itself: the current Linux image serves HTTP on
 * 8080, the legacy 2018 Windows image on 81. Paths follow the image's OS.
 */
export interface ImageContract {
  generation: 'current' | 'legacy'
  os: 'linux' | 'windows'
  httpPort: number
  pollingPort: number
  paths: Record<MountName, string>
  /** Why this contract was chosen, for the log. */
  reason: string
}

export interface ImageFacts {
  os: string
  exposedPorts: readonly string[]
}

const POLLING_PORT = 10943

const PATHS: Record<'linux' | 'windows', Record<MountName, string>> = {
  linux: { taskLogs: '/taskLogs', artifacts: '/artifacts', repository: '/repository', import: '/import' },
  windows: { taskLogs: 'C:\\TaskLogs', artifacts: 'C:\\Artifacts', repository: 'C:\\Repository', import: 'C:\\Import' },
}

export class ContractError extends Error {}

/** The facts that decide the contract, from the engine's inspect data of the image. */
export function factsOf(image: { Os: string; Config?: { ExposedPorts?: Record<string, unknown> } }): ImageFacts {
  return { os: image.Os, exposedPorts: Object.keys(image.Config?.ExposedPorts ?? {}) }
}

export function contractOf(image: string, facts: ImageFacts): ImageContract {
  const os = facts.os.toLowerCase()
  if (os !== 'linux' && os !== 'windows') {
    throw new ContractError(`Image ${image} is built for "${facts.os}"; Octopus Server images are linux or windows`)
  }
  const exposes = (port: number) => facts.exposedPorts.some((p) => p.split('/')[0] === String(port))
  const base = { os, pollingPort: POLLING_PORT, paths: PATHS[os] } as const
  if (exposes(8080)) return { ...base, generation: 'current', httpPort: 8080, reason: 'the image exposes port 8080' }
  if (exposes(81)) return { ...base, generation: 'legacy', httpPort: 81, reason: 'the image exposes port 81' }
  return os === 'linux'
    ? { ...base, generation: 'current', httpPort: 8080, reason: 'the image exposes neither 8080 nor 81 and is a linux image' }
    : { ...base, generation: 'legacy', httpPort: 81, reason: 'the image exposes neither 8080 nor 81 and is a windows image' }
}

/** Fails early when the engine cannot run the image at all (a Windows image on a Linux runner, or the reverse). */
export function checkEngineCanRun(image: string, imageOs: string, engineOs: string): void {
  if (imageOs.toLowerCase() !== engineOs.toLowerCase()) {
    throw new ContractError(
      `Image ${image} is a ${imageOs} image but this Docker engine runs ${engineOs} containers: ` +
        (imageOs.toLowerCase() === 'windows'
          ? 'the 2018 Windows images need a Windows runner (e.g. windows-2019); on Linux use a version from 2020.3 on'
          : 'use a Linux runner, or a Windows image of Octopus'),
    )
  }
}
