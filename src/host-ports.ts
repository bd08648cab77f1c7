import net from 'node:net'
import type Docker from 'dockerode'

export class PortTakenError extends Error {}

/** Who holds a host port, as far as the engine can tell. */
export async function portHolder(docker: Docker, port: string): Promise<string> {
  try {
    const holders = await docker.listContainers({ filters: JSON.stringify({ publish: [port] }) })
    const names = holders.map((c) => (c.Names[0] ?? c.Id.slice(0, 12)).replace(/^\//, ''))
    return names.length ? ` by container ${names.join(', ')}` : ' by a process outside Docker'
  } catch {
    return ''
  }
}

function inUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'EADDRINUSE'))
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(false)))
  })
}

/**
 * Checks the host ports the user asked for before anything starts, so a taken port fails in a moment
 * rather than after SQL Server is up. The runner is the Docker host, so a bind here is a bind there;
 * the engine's own error at container start still covers a port taken in between.
 */
export async function checkHostPortsFree(docker: Docker, ports: Array<{ input: string; port: number | undefined }>): Promise<void> {
  for (const { input, port } of ports) {
    if (!port || !(await inUse(port))) continue
    throw new PortTakenError(
      `${input} ${port} is already in use${await portHolder(docker, String(port))}. Choose another ${input}${input === 'host-port' ? ', or 0 for a free one' : ''}.`,
    )
  }
}
