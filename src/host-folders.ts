import { mkdirSync } from 'node:fs'
import path from 'node:path'

/** Host folders are resolved against the workspace, as paths in a workflow are, and made when missing. */
export function resolveHostFolder(folder: string, env: NodeJS.ProcessEnv = process.env): string {
  const absolute = path.resolve(env.GITHUB_WORKSPACE ?? process.cwd(), folder)
  mkdirSync(absolute, { recursive: true })
  return absolute
}
