import { execFileSync } from 'node:child_process'
import path from 'node:path'

/** Engine, stand-in images and local registries; idempotent and quick when all is in place already. */
export default function setup(): void {
  if (process.env.SKIP_FIXTURE_SETUP === '1') return
  const root = path.resolve(import.meta.dirname, '..')
  execFileSync('bash', [path.join(root, 'test/fixtures/setup.sh')], { stdio: 'inherit' })
}
