import * as core from '@actions/core'

/**
 * What the post step needs, saved the moment it is known (so a killed main step still leaves the run
 * id behind). Never a secret: state is readable by later steps.
 */
const KEYS = {
  isPost: 'isPost',
  runId: 'runId',
  cleanup: 'cleanup',
  containers: 'containers',
  networks: 'networks',
  volumes: 'volumes',
  cacheSaves: 'cacheSaves',
} as const

export interface CacheSave {
  ref: string
  key: string
}

const cacheSaves: CacheSave[] = []

function list(key: string): string[] {
  const raw = core.getState(key)
  if (!raw) return []
  try {
    const value = JSON.parse(raw) as unknown
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
  } catch {
    return []
  }
}

export interface RecordedResources {
  containers: string[]
  networks: string[]
  volumes: string[]
}

export const state = {
  get isPost(): boolean {
    return core.getState(KEYS.isPost) === 'true'
  },
  markMainStarted(): void {
    core.saveState(KEYS.isPost, 'true')
  },
  get runId(): string {
    return core.getState(KEYS.runId)
  },
  set runId(value: string) {
    core.saveState(KEYS.runId, value)
  },
  get cleanup(): boolean {
    return core.getState(KEYS.cleanup) !== 'false'
  },
  set cleanup(value: boolean) {
    core.saveState(KEYS.cleanup, String(value))
  },
  get recorded(): RecordedResources {
    return { containers: list(KEYS.containers), networks: list(KEYS.networks), volumes: list(KEYS.volumes) }
  },
  /** Images pulled this run that the post step saves to the Actions cache. */
  addCacheSave(save: CacheSave): void {
    cacheSaves.push(save)
    core.saveState(KEYS.cacheSaves, JSON.stringify(cacheSaves))
  },
  get cacheSaves(): CacheSave[] {
    try {
      const value = JSON.parse(core.getState(KEYS.cacheSaves) || '[]') as unknown
      return Array.isArray(value) ? (value as CacheSave[]).filter((v) => typeof v?.ref === 'string' && typeof v?.key === 'string') : []
    } catch {
      return []
    }
  },
  set recorded(value: RecordedResources) {
    core.saveState(KEYS.containers, JSON.stringify(value.containers))
    core.saveState(KEYS.networks, JSON.stringify(value.networks))
    core.saveState(KEYS.volumes, JSON.stringify(value.volumes))
  },
}
