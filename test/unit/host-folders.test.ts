import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { InputError } from '../../src/context.js'
import { makeFolder, makeHostFolders } from '../../src/host-folders.js'

const root = mkdtempSync(path.join(tmpdir(), 'host-folders-'))
const scratch = () => mkdtempSync(path.join(root, 'case-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('makeFolder', () => {
  it('makes every missing level, and is fine with a folder that is there', () => {
    const deep = path.join(scratch(), 'a', 'b', 'c')
    makeFolder(deep)
    expect(statSync(deep).isDirectory()).toBe(true)
    expect(() => makeFolder(deep)).not.toThrow()
  })

  it('refuses a path under a file, naming the file', () => {
    const file = path.join(scratch(), 'file')
    writeFileSync(file, '')
    expect(() => makeFolder(path.join(file, 'x', 'y'))).toThrow(`${file} is not a folder`)
  })
})

describe('makeHostFolders', () => {
  it('resolves relative folders against GITHUB_WORKSPACE and returns them absolute', () => {
    const workspace = scratch()
    const made = makeHostFolders({ taskLogs: '.octopus/task-logs', artifacts: path.join(workspace, 'abs') }, { GITHUB_WORKSPACE: workspace })
    expect(made).toEqual({ taskLogs: path.join(workspace, '.octopus/task-logs'), artifacts: path.join(workspace, 'abs') })
    expect(existsSync(path.join(workspace, '.octopus/task-logs'))).toBe(true)
  })

  it('names every input whose folder cannot be made, and what would be right', () => {
    const workspace = scratch()
    writeFileSync(path.join(workspace, 'file'), '')
    let error: unknown
    try {
      makeHostFolders({ taskLogs: 'file/logs', import: 'file/import', repository: 'ok' }, { GITHUB_WORKSPACE: workspace })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).problems).toEqual([
      expect.stringMatching(/^task-logs-path is "file\/logs", a folder that cannot be made \(.*file is not a folder\): give a folder the runner can create/),
      expect.stringMatching(/^import-path is "file\/import", a folder that cannot be made/),
    ])
  })
})
