/** The few Octopus HTTP API calls the action makes. */
import { request, type HttpAnswer } from './http.js'

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

function errorText(res: HttpAnswer): string {
  try {
    const json = JSON.parse(res.body) as { ErrorMessage?: string; Errors?: string[] }
    const extra = json.Errors?.length ? ` (${json.Errors.join('; ')})` : ''
    if (json.ErrorMessage) return `${res.status} ${json.ErrorMessage}${extra}`
  } catch {
    // not JSON: fall through to the raw body
  }
  return `${res.status} ${res.statusText}${res.body ? `: ${res.body.slice(0, 200)}` : ''}`
}

function json<T>(res: HttpAnswer, what: string): T {
  try {
    return JSON.parse(res.body) as T
  } catch {
    throw new ApiError(`${what} answered ${res.status} with a body that is not JSON`, res.status)
  }
}

/** GET /api: anonymous; 503 while the server warms up, then 200 with the version. */
export async function getApiRoot(baseUrl: string, signal: AbortSignal): Promise<ApiRoot> {
  const res = await request('GET', `${baseUrl}/api`, { signal })
  if (res.status !== 200) throw new ApiError(`GET /api answered ${errorText(res)}`, res.status)
  const body = json<Partial<ApiRoot>>(res, 'GET /api')
  if (typeof body.Version !== 'string' || !body.Version) throw new ApiError('GET /api answered 200 without a Version', 200)
  return body as ApiRoot
}

function cookiesFrom(res: HttpAnswer): Map<string, string> {
  const jar = new Map<string, string>()
  for (const header of res.setCookies) {
    const pair = header.split(';')[0] ?? ''
    const eq = pair.indexOf('=')
    if (eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim())
  }
  return jar
}

/** POST /api/users/login; keeps the session cookie and the CSRF token that later POSTs must echo. */
export async function signIn(baseUrl: string, username: string, password: string, signal: AbortSignal): Promise<Session> {
  const res = await request('POST', `${baseUrl}/api/users/login`, { signal, body: JSON.stringify({ Username: username, Password: password }) })
  if (res.status !== 200) throw new ApiError(`signing in as ${username} answered ${errorText(res)}`, res.status)
  const user = json<{ Id?: string }>(res, 'signing in')
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
  const res = await request('POST', `${baseUrl}/api/users/${encodeURIComponent(session.userId)}/apikeys`, {
    signal,
    headers: { Cookie: session.cookies, 'X-Octopus-Csrf-Token': session.csrfToken },
    body: JSON.stringify({ Purpose: purpose, Expires: null }),
  })
  if (res.status !== 200 && res.status !== 201) throw new ApiError(`creating an API key answered ${errorText(res)}`, res.status)
  const key = json<{ ApiKey?: unknown }>(res, 'creating an API key').ApiKey
  if (typeof key !== 'string' || !/^API-[A-Z0-9]+$/.test(key)) throw new ApiError('creating an API key answered without a key of the form API-...', res.status)
  return key
}

/** GET /api/users/me with the key: proves the key works before it is handed out. */
export async function whoAmI(baseUrl: string, apiKey: string, signal: AbortSignal): Promise<{ Id: string; Username: string }> {
  const res = await request('GET', `${baseUrl}/api/users/me`, { signal, headers: { 'X-Octopus-ApiKey': apiKey } })
  if (res.status !== 200) throw new ApiError(`GET /api/users/me with the new API key answered ${errorText(res)}`, res.status)
  return json<{ Id: string; Username: string }>(res, 'GET /api/users/me')
}
