import { existsSync, mkdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { InputError } from './context.js'
import { MOUNT_INPUTS, type MountName } from './inputs.js'

/**
 * mkdir -p, one level at a time. Node's own `recursive: true` spins forever, at full CPU and with the event
 * loop blocked (so not even a cancel gets through), where mkdir answers ENOENT under a parent that exists:
 * under /proc or /sys, and on a stale mount.
 */
export function makeFolder(absolute: string): void {
  const missing: string[] = []
  let at = absolute
  while (!existsSync(at)) {
    missing.unshift(at)
    const parent = path.dirname(at)
    if (parent === at) break
    at = parent
  }
  if (!statSync(at).isDirectory()) throw new Error(`${at} is not a folder`)
  for (const folder of missing) {
    try {
      mkdirSync(folder)
    } catch (e) {
      // Made meanwhile by someone else: fine, if it is a folder.
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && statSync(folder).isDirectory()) continue
      throw e
    }
  }
}

/** A host folder input as an absolute path: relative ones are taken from the workspace, as in a workflow. */
export function hostFolderPath(folder: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.GITHUB_WORKSPACE ?? process.cwd(), folder)
}

/**
 * Host folders are resolved against the workspace, as paths in a workflow are, and made when missing, before
 * anything touches Docker: a folder that cannot be made is a wrong input. Returns the absolute paths.
 */
export function makeHostFolders(
  folders: Partial<Record<MountName, string>>,
  env: NodeJS.ProcessEnv = process.env,
): Partial<Record<MountName, string>> {
  const made: Partial<Record<MountName, string>> = {}
  const problems: string[] = []
  for (const [role, folder] of Object.entries(folders) as Array<[MountName, string]>) {
    const absolute = hostFolderPath(folder, env)
    try {
      makeFolder(absolute)
      made[role] = absolute
    } catch (e) {
      problems.push(
        `${MOUNT_INPUTS[role]} is "${folder}", a folder that cannot be made (${e instanceof Error ? e.message : String(e)}): ` +
          'give a folder the runner can create and write to (a relative path is taken from the workspace)',
      )
    }
  }
  if (problems.length) throw new InputError(problems)
  return made
}
