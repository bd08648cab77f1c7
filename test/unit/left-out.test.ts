import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// The packages src/left-out stands in for, and the only installed packages allowed to depend on them.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const LEFT_OUT: Record<string, { folder: string; dependents: string[] }> = {
  '@grpc/grpc-js': { folder: 'grpc-js', dependents: ['dockerode'] },
  '@grpc/proto-loader': { folder: 'grpc-proto-loader', dependents: ['dockerode'] },
  protobufjs: { folder: 'protobufjs', dependents: ['dockerode'] },
  undici: { folder: 'undici', dependents: ['@actions/http-client'] },
  ssh2: { folder: 'ssh2', dependents: ['docker-modem'] },
}

interface PackageJson {
  name: string
  version: string
  dependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
  overrides?: Record<string, string>
}

const readJson = (file: string): PackageJson => JSON.parse(readFileSync(file, 'utf8')) as PackageJson
const rootPackage = readJson(path.join(ROOT, 'package.json'))
const requireFromRoot = createRequire(path.join(ROOT, 'package.json'))

/** The folder node would load `name` from when `from` (a package folder) requires it. */
function resolvePackageDir(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name)
    if (existsSync(path.join(candidate, 'package.json'))) return realpathSync(candidate)
    if (dir === ROOT || dir === path.dirname(dir)) return undefined
  }
}

/** Every installed package the bundle can reach: the production dependency closure of package.json. */
function productionClosure(): Map<string, PackageJson> {
  const seen = new Map<string, PackageJson>()
  const queue = [ROOT]
  while (queue.length) {
    const dir = queue.shift() as string
    const json = readJson(path.join(dir, 'package.json'))
    for (const dep of Object.keys({ ...json.dependencies, ...json.optionalDependencies })) {
      const depDir = resolvePackageDir(dep, dir)
      if (depDir && !seen.has(depDir)) {
        seen.set(depDir, readJson(path.join(depDir, 'package.json')))
        queue.push(depDir)
      }
    }
  }
  return seen
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    if (entry === 'node_modules') return []
    const full = path.join(dir, entry)
    if (statSync(full).isDirectory()) return sourceFiles(full)
    return /\.(c|m)?js$/.test(entry) ? [full] : []
  })
}

describe('packages left out of the bundle', () => {
  const closure = productionClosure()

  it.each(Object.entries(LEFT_OUT))('%s is overridden with its stand-in from src/left-out', (name, { folder }) => {
    expect(rootPackage.overrides?.[name]).toBe(`$${name}`)
    expect(rootPackage.dependencies?.[name]).toBe(`file:src/left-out/${folder}`)
    const installed = resolvePackageDir(name, ROOT)
    expect(installed).toBe(path.join(ROOT, 'src', 'left-out', folder))
    for (const [dir, json] of closure) {
      if (json.name === name) expect(dir, `${name} is installed a second time, at ${dir}`).toBe(installed)
    }
  })

  it.each(['@grpc/grpc-js', '@grpc/proto-loader', 'protobufjs'])('%s fails loudly, naming itself, when anything is read from it', (name) => {
    const stub = requireFromRoot(name) as Record<string, unknown>
    expect(() => stub.Server).toThrow(new RegExp(`${name.replace('/', '\\/')} \\(Server\\) is left out .*src/left-out/README\\.md`))
    // Module interop probes are answered without throwing.
    expect(stub.__esModule).toBeUndefined()
  })

  it('undici loads (http-client imports ProxyAgent at load) but a ProxyAgent cannot be made', () => {
    const { ProxyAgent } = requireFromRoot('undici') as { ProxyAgent: new () => unknown }
    expect(() => new ProxyAgent()).toThrow(/undici \(ProxyAgent\) is left out .*getAgentDispatcher/)
  })

  it('ssh2 loads (docker-modem reads Client at load) but a Client cannot be made', () => {
    const { Client } = requireFromRoot('ssh2') as { Client: new () => unknown }
    expect(() => new Client()).toThrow(/ssh2 \(Client\) is left out .*ssh:\/\/ DOCKER_HOST/)
  })

  it('no other installed package depends on a left-out package', () => {
    const dependents: Record<string, string[]> = {}
    for (const json of closure.values()) {
      for (const dep of Object.keys({ ...json.dependencies, ...json.optionalDependencies })) {
        if (dep in LEFT_OUT && json.name !== dep) (dependents[dep] ??= []).push(json.name)
      }
    }
    for (const [name, { dependents: allowed }] of Object.entries(LEFT_OUT)) {
      expect([...new Set(dependents[name] ?? [])].sort(), `packages depending on ${name}`).toEqual(allowed)
    }
  })

  it("nothing but @actions/http-client mentions getAgentDispatcher, the only user of undici's ProxyAgent", () => {
    const mentions = [...closure]
      .filter(([dir, json]) => json.name !== '@actions/http-client' && !dir.startsWith(path.join(ROOT, 'src', 'left-out')))
      .flatMap(([dir]) => sourceFiles(dir).filter((file) => readFileSync(file, 'utf8').includes('getAgentDispatcher')))
    expect(mentions).toEqual([])
    const httpClient = [...closure].find(([, json]) => json.name === '@actions/http-client')
    expect(httpClient, '@actions/http-client is installed').toBeDefined()
  })
})
