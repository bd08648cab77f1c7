import path from 'node:path'
import { fileURLToPath } from 'node:url'

// The bundle is ESM, but ssh2 (pulled in by dockerode's docker-modem) reads the CommonJS `__dirname` at load
// time. A global of that name satisfies it; this module must be imported before dockerode.
const g = globalThis as { __dirname?: string }
g.__dirname ??= path.dirname(fileURLToPath(import.meta.url))
