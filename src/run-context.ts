import type Docker from 'dockerode'
import type { EngineInfo } from './docker/engine.js'
import type { ResourceTracker } from './resources.js'
import type { Settings } from './settings.js'
import type { Timings } from './summary.js'

/** What every phase of the main step shares. */
export interface RunContext {
  docker: Docker
  engine: EngineInfo
  settings: Settings
  signal: AbortSignal
  tracker: ResourceTracker
  timings: Timings
  /** Names of the containers whose logs a failure should show, in the order made. */
  watched: Array<{ name: string; container: Docker.Container }>
}
