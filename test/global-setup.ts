import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

/**
 * Engine, stand-in images and local registries; idempotent and quick when all is in place already. Then
 * every temporary folder of the run (the steps' output and state files, which hold secrets, and the
 * tests' own folders) goes under one folder, removed when the run ends.
 */
export default function setup(): () => void {
  if (process.env.SKIP_FIXTURE_SETUP !== '1') {
    const root = path.resolve(import.meta.dirname, '..')
    execFileSync('bash', [path.join(root, 'test/fixtures/setup.sh')], { stdio: 'inherit' })
  }
  const temp = mkdtempSync(path.join(tmpdir(), 'octopus-action-tests-'))
  process.env.TMPDIR = temp
  return () => rmSync(temp, { recursive: true, force: true })
}
