/** The few Octopus HTTP API calls the action makes, over fetch. */

export interface ApiRoot {
  Application?: string
  Version: string
  ApiVersion?: string
  InstallationId?: string
}

export interface Session {
  userId: string
  cookies: string
  csrfToken: string
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message)
  }
}

async function errorText(res: Response): Promise<string> {
  const body = await res.text().catch(() => '')
  try {
    const json = JSON.parse(body) as { ErrorMessage?: string; Errors?: string[] }
    const extra = json.Errors?.length ? ` (${json.Errors.join('; ')})` : ''
    if (json.ErrorMessage) return `${res.status} ${json.ErrorMessage}${extra}`
  } catch {
    // not JSON: fall through to the raw body
  }
  return `${res.status} ${res.statusText}${body ? `: ${body.slice(0, 200)}` : ''}`
}

/** GET /api: anonymous; 503 while the server warms up, then 200 with the version. */
export async function getApiRoot(baseUrl: string, signal: AbortSignal): Promise<ApiRoot> {
  const res = await fetch(`${baseUrl}/api`, { signal, headers: { Accept: 'application/json' } })
  if (res.status !== 200) throw new ApiError(`GET /api answered ${await errorText(res)}`, res.status)
  const body = (await res.json()) as Partial<ApiRoot>
  if (typeof body.Version !== 'string' || !body.Version) throw new ApiError('GET /api answered 200 without a Version', 200)
  return body as ApiRoot
}

function cookiesFrom(res: Response): Map<string, string> {
  const jar = new Map<string, string>()
  for (const header of res.headers.getSetCookie()) {
    const pair = header.split(';')[0] ?? ''
    const eq = pair.indexOf('=')
    if (eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim())
  }
  return jar
}

/** POST /api/users/login; keeps the session cookie and the CSRF token that later POSTs must echo. */
export async function signIn(baseUrl: string, username: string, password: string, signal: AbortSignal): Promise<Session> {
  const res = await fetch(`${baseUrl}/api/users/login`, {
    method: 'POST',
    signal,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ Username: username, Password: password }),
  })
  if (res.status !== 200) throw new ApiError(`signing in as ${username} answered ${await errorText(res)}`, res.status)
  const user = (await res.json()) as { Id?: string }
  const jar = cookiesFrom(res)
  const csrf = [...jar].find(([name]) => name.startsWith('Octopus-Csrf-Token'))
  if (!user.Id) throw new ApiError('signing in answered 200 without a user Id', 200)
  if (!csrf) throw new ApiError('signing in set no Octopus-Csrf-Token cookie', 200)
  return {
    userId: user.Id,
    cookies: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
    csrfToken: csrf[1],
  }
}

/** POST /api/users/{id}/apikeys; the key is in the answer this once only. */
export async function createApiKey(baseUrl: string, session: Session, purpose: string, signal: AbortSignal): Promise<string> {
  const res = await fetch(`${baseUrl}/api/users/${encodeURIComponent(session.userId)}/apikeys`, {
    method: 'POST',
    signal,
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      Cookie: session.cookies,
      'X-Octopus-Csrf-Token': session.csrfToken,
    },
    body: JSON.stringify({ Purpose: purpose, Expires: null }),
  })
  if (res.status !== 200 && res.status !== 201) throw new ApiError(`creating an API key answered ${await errorText(res)}`, res.status)
  const body = (await res.json()) as { ApiKey?: unknown }
  const key = typeof body.ApiKey === 'string' ? body.ApiKey : (body.ApiKey as { ApiKey?: string } | undefined)?.ApiKey
  if (!key || !/^API-[A-Z0-9]+$/.test(key)) throw new ApiError('creating an API key answered without a key of the form API-...', res.status)
  return key
}

/** GET /api/users/me with the key: proves the key works before it is handed out. */
export async function whoAmI(baseUrl: string, apiKey: string, signal: AbortSignal): Promise<{ Id: string; Username: string }> {
  const res = await fetch(`${baseUrl}/api/users/me`, { signal, headers: { 'X-Octopus-ApiKey': apiKey, Accept: 'application/json' } })
  if (res.status !== 200) throw new ApiError(`GET /api/users/me with the new API key answered ${await errorText(res)}`, res.status)
  return (await res.json()) as { Id: string; Username: string }
}
