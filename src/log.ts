import * as core from '@actions/core'

export type Log = (line: string) => void

export const info: Log = (line) => core.info(line)

export function prefixed(prefix: string): Log {
  return (line) => core.info(`${prefix} ${line}`)
}
