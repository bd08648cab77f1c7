// Tests of the TEST FIXTURES themselves (the stand-in images), on the real Docker engine.
// Needs `bash test/fixtures/setup.sh` first (images + local registries).
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import Docker from 'dockerode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from './fixtures/images.js';

const docker = new Docker();
const RUN = randomBytes(3).toString('hex');
const NETWORK = `fixtures-test-${RUN}`;
const SA_PASSWORD = 'Fixture!Sa-Pass1';
const SQL_HOST = `fixtures-sql-${RUN}`;
const MASTER_KEY = randomBytes(16).toString('base64');
const FAST = ['STANDIN_BOOT_MS=100', 'STANDIN_WARMUP_MS=100', 'STANDIN_SQL_CONNECT_TIMEOUT_MS=3000'];

const started: Docker.Container[] = [];
let sql: Docker.Container | undefined;

/** Collects a container's demultiplexed log text (non-TTY streams carry 8-byte frame headers). */
class Logs {
  text = '';
  private constructor(private readonly container: Docker.Container) {}
  static async follow(container: Docker.Container): Promise<Logs> {
    const logs = new Logs(container);
    // attached before start: sees every line from the first one (logs --follow on a created container ends at once)
    const stream = (await container.attach({ stream: true, stdout: true, stderr: true, logs: true })) as NodeJS.ReadableStream;
    const out = new PassThrough();
    const err = new PassThrough();
    docker.modem.demuxStream(stream, out, err);
    out.on('data', (d: Buffer) => (logs.text += d.toString('utf8')));
    err.on('data', (d: Buffer) => (logs.text += d.toString('utf8')));
    stream.on('error', () => {});
    return logs;
  }
  /** Resolves when the text appears; rejects on timeout or when the container stops first. */
  async waitFor(needle: string | RegExp, timeoutMs = 15000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const found = () => (typeof needle === 'string' ? this.text.includes(needle) : needle.test(this.text));
    for (let i = 0; ; i++) {
      if (found()) return;
      if (i % 10 === 9) {
        const state = (await this.container.inspect()).State;
        if (!state.Running) {
          await sleep(200);
          if (found()) return;
          throw new Error(`container exited (${state.ExitCode}) before ${String(needle)}; log:\n${this.text}`);
        }
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(needle)}; log:\n${this.text}`);
      await sleep(50);
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function pull(image: string, authconfig?: Docker.AuthConfig): Promise<void> {
  const stream = await docker.pull(image, authconfig ? { authconfig } : {});
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())),
  );
}

async function run(image: string, env: string[], opts: Partial<Docker.ContainerCreateOptions> = {}) {
  const container = await docker.createContainer({
    Image: image,
    Env: env,
    Labels: { 'io.octopus-server-action.fixture-test': RUN },
    HostConfig: { NetworkMode: NETWORK },
    ...opts,
  });
  started.push(container);
  const logs = await Logs.follow(container);
  await container.start();
  return { container, logs };
}

async function waitExit(container: Docker.Container, timeoutMs = 15000): Promise<number> {
  const result = await Promise.race([
    container.wait() as Promise<{ StatusCode: number }>,
    sleep(timeoutMs).then(() => {
      throw new Error('container did not exit in time');
    }),
  ]);
  return result.StatusCode;
}

async function exec(container: Docker.Container, cmd: string[]): Promise<{ code: number; out: string }> {
  const e = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await e.start({ hijack: true, stdin: false });
  let out = '';
  const sink = new PassThrough();
  sink.on('data', (d: Buffer) => (out += d.toString('utf8')));
  docker.modem.demuxStream(stream, sink, sink);
  await new Promise((r) => stream.on('end', r));
  const info = await e.inspect();
  return { code: info.ExitCode ?? -1, out };
}

async function ipOf(container: Docker.Container): Promise<string> {
  const ip = (await container.inspect()).NetworkSettings.Networks[NETWORK]?.IPAddress;
  if (!ip) throw new Error(`container has no address on ${NETWORK}`);
  return ip;
}

function connStr(database: string) {
  return `Server=${SQL_HOST},1433;Database=${database};User Id=sa;Password="${SA_PASSWORD}";TrustServerCertificate=True`;
}

async function startOctopus(image: string, database: string, extraEnv: string[] = []) {
  const env = [
    'ACCEPT_EULA=Y', `DB_CONNECTION_STRING=${connStr(database)}`, 'ADMIN_USERNAME=admin', 'ADMIN_PASSWORD=Adm1n!Passw0rd',
    'DISABLE_DIND=Y', ...FAST, ...extraEnv,
  ];
  const o = await run(image, env);
  await o.logs.waitFor(FIXTURES.octopus.readyLine);
  return { ...o, base: `http://${await ipOf(o.container)}:${FIXTURES.octopus.currentPort}` };
}

/** Signs in with the password and creates an API key over the API (cookie + CSRF). */
async function signInAndCreateKey(base: string, password = 'Adm1n!Passw0rd') {
  const login = await fetch(`${base}/api/users/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ Username: 'admin', Password: password }),
  });
  expect(login.status).toBe(200);
  const user = (await login.json()) as { Id: string };
  const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0] ?? '');
  const csrf = cookies.find((c) => c.startsWith('Octopus-Csrf-Token_'))?.split('=')[1] ?? '';
  const cookieHeader = cookies.join('; ');
  const noCsrf = await fetch(`${base}/api/users/${user.Id}/apikeys`, {
    method: 'POST', headers: { Cookie: cookieHeader, 'Content-Type': 'application/json' }, body: JSON.stringify({ Purpose: 't', Expires: null }),
  });
  const created = await fetch(`${base}/api/users/${user.Id}/apikeys`, {
    method: 'POST', headers: { Cookie: cookieHeader, 'X-Octopus-Csrf-Token': csrf, 'Content-Type': 'application/json' },
    body: JSON.stringify({ Purpose: 'fixtures test', Expires: null }),
  });
  return { user, cookies, noCsrfStatus: noCsrf.status, createdStatus: created.status, key: ((await created.json()) as { ApiKey: string }).ApiKey };
}

beforeAll(async () => {
  for (const image of [FIXTURES.sql.image, FIXTURES.octopus.current, FIXTURES.octopus.currentPrevious, FIXTURES.octopus.legacy]) {
    await pull(image);
  }
  await docker.createNetwork({ Name: NETWORK, Labels: { 'io.octopus-server-action.fixture-test': RUN } });
  const c = await docker.createContainer({
    Image: FIXTURES.sql.image,
    name: SQL_HOST,
    Env: ['ACCEPT_EULA=Y', `MSSQL_SA_PASSWORD=${SA_PASSWORD}`, 'STANDIN_READY_MS=100', 'STANDIN_RECOVERY_MS=300'],
    Labels: { 'io.octopus-server-action.fixture-test': RUN },
    HostConfig: { NetworkMode: NETWORK },
  });
  sql = c;
  const logs = await Logs.follow(c);
  await c.start();
  await logs.waitFor(FIXTURES.sql.recoveryLine);
}, 60_000);

afterEach(async () => {
  for (const c of started.splice(0)) await c.remove({ force: true, v: true }).catch(() => {});
});

afterAll(async () => {
  if (sql) await sql.remove({ force: true, v: true }).catch(() => {});
  await docker.getNetwork(NETWORK).remove().catch(() => {});
});

describe('SQL Server stand-in', () => {
  it('exits 1 with the policy line on a weak password', async () => {
    const { container, logs } = await run(FIXTURES.sql.image, ['ACCEPT_EULA=Y', 'MSSQL_SA_PASSWORD=short']);
    expect(await waitExit(container)).toBe(1);
    await logs.waitFor('ERROR: Unable to set system administrator password: Password validation failed.');
    expect(logs.text).toContain('contain characters from three of the following four sets');
  });

  it('exits 1 with the EULA notice without ACCEPT_EULA=Y', async () => {
    const { container, logs } = await run(FIXTURES.sql.image, ["ACCEPT_EULA='Y'", `MSSQL_SA_PASSWORD=${SA_PASSWORD}`]);
    expect(await waitExit(container)).toBe(1);
    await logs.waitFor('The SQL Server End-User License Agreement (EULA) must be accepted');
  });

  it('sqlcmd: fails before Recovery and without -C, works with -C after Recovery', async () => {
    const { container, logs } = await run(FIXTURES.sql.image, [
      'ACCEPT_EULA=y', `SA_PASSWORD=${SA_PASSWORD}`, 'STANDIN_READY_MS=100', 'STANDIN_RECOVERY_MS=1500',
    ]);
    await logs.waitFor(FIXTURES.sql.readyLine);
    const early = await exec(container, [FIXTURES.sql.sqlcmd, '-C', '-S', 'localhost', '-U', 'sa', '-P', SA_PASSWORD, '-Q', 'SELECT 1', '-b']);
    expect(early.code).toBe(1);
    expect(early.out).toContain('Server is in script upgrade mode');
    await logs.waitFor(FIXTURES.sql.recoveryLine);
    const noC = await exec(container, [FIXTURES.sql.sqlcmd, '-S', 'localhost', '-U', 'sa', '-P', SA_PASSWORD, '-Q', 'SELECT 1']);
    expect(noC.code).toBe(1);
    expect(noC.out).toContain('certificate verify failed:self-signed certificate');
    const ok = await exec(container, [FIXTURES.sql.sqlcmd, '-C', '-S', 'localhost,1433', '-U', 'sa', '-P', SA_PASSWORD, '-Q', 'SELECT 1', '-b', '-l', '5']);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/\s1\n\n\(1 rows affected\)/);
    const bad = await exec(container, [FIXTURES.sql.sqlcmd, '-C', '-S', 'localhost', '-U', 'sa', '-P', 'wrong', '-Q', 'SELECT 1']);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain("Login failed for user 'sa'..");
    const old = await exec(container, ['/opt/mssql-tools/bin/sqlcmd', '-?']).catch((e: Error) => ({ code: -1, out: e.message }));
    expect(old.code).not.toBe(0);
  });
});

describe('Octopus Server stand-in, current contract', () => {
  it('starts against SQL: /api 503 then 200, sign-in + CSRF + API key, show-master-key; wrong master key is refused', async () => {
    const db = `Octopus_${RUN}_a`;
    const env = [
      'ACCEPT_EULA=Y', `DB_CONNECTION_STRING=${connStr(db)}`, `MASTER_KEY=${MASTER_KEY}`, 'ADMIN_USERNAME=admin',
      'ADMIN_PASSWORD=Adm1n!Passw0rd', 'DISABLE_DIND=Y', 'STANDIN_BOOT_MS=100', 'STANDIN_WARMUP_MS=1500',
    ];
    const { container, logs } = await run(FIXTURES.octopus.current, env);
    await logs.waitFor(FIXTURES.octopus.listeningLine);
    const base = `http://${await ipOf(container)}:8080`;
    expect((await fetch(`${base}/api`)).status).toBe(503);
    await logs.waitFor(FIXTURES.octopus.readyLine);
    const api = await fetch(`${base}/api`);
    expect(api.status).toBe(200);
    const body = (await api.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ Application: 'Octopus Deploy', Version: '2025.2.0' });
    expect((await fetch(`${base}/api/octopusservernodes/ping`)).status).toBe(200);

    const bad = await fetch(`${base}/api/users/login`, { method: 'POST', body: JSON.stringify({ Username: 'admin', Password: 'nope' }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { ErrorMessage: string }).ErrorMessage).toBe('Invalid username or password.');
    expect((await fetch(`${base}/api/users/me`)).status).toBe(401);

    const s = await signInAndCreateKey(base);
    expect(s.cookies.some((c) => c.startsWith(`OctopusIdentificationToken_${body.InstallationId}=`))).toBe(true);
    expect(s.noCsrfStatus).toBe(403);
    expect(s.createdStatus).toBe(201);
    expect(s.key).toMatch(/^API-[A-Z0-9]{32}$/);
    const me = await fetch(`${base}/api/users/me`, { headers: { 'X-Octopus-ApiKey': s.key } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ Username: 'admin', IsService: false });

    const shown = await exec(container, [FIXTURES.octopus.cli, 'show-master-key', '--console', '--instance', 'OctopusServer']);
    expect(shown).toEqual({ code: 0, out: `${MASTER_KEY}\n` });
    expect((await exec(container, ['/usr/bin/node', '-e', 'process.stdout.write(require("fs").readFileSync("/taskLogs/ServerTasks-startup.txt","utf8"))'])).out)
      .toContain('Octopus Server 2025.2.0 started');

    // a second server on the same database with another master key is refused
    const wrong = await run(FIXTURES.octopus.current, [
      'ACCEPT_EULA=Y', `DB_CONNECTION_STRING=${connStr(db)}`, `MASTER_KEY=${randomBytes(16).toString('base64')}`, ...FAST,
    ]);
    expect(await waitExit(wrong.container)).not.toBe(0);
    expect(wrong.logs.text).toContain('does not match the master key the database was created with');
    // and one without any master key is refused too
    const none = await run(FIXTURES.octopus.current, ['ACCEPT_EULA=Y', `DB_CONNECTION_STRING=${connStr(db)}`, ...FAST]);
    expect(await waitExit(none.container)).toBe(1);
    expect(none.logs.text).toContain('The database already exists, so a master key is required.');
  }, 30_000);

  it('refuses to start without ACCEPT_EULA=Y, without DB_CONNECTION_STRING, and with SQL unreachable', async () => {
    const eula = await run(FIXTURES.octopus.current, ['ACCEPT_EULA=yes', `DB_CONNECTION_STRING=${connStr('x')}`]);
    const noDb = await run(FIXTURES.octopus.current, ['ACCEPT_EULA=Y']);
    const unreachable = await run(FIXTURES.octopus.current, [
      'ACCEPT_EULA=Y', 'DB_CONNECTION_STRING=Server=nowhere-sql,1433;Database=x;User Id=sa;Password=x', 'STANDIN_SQL_CONNECT_TIMEOUT_MS=500',
    ]);
    expect(await waitExit(eula.container)).toBe(1);
    expect(eula.logs.text).toContain('ERROR: You must accept the EULA');
    expect(await waitExit(noDb.container)).toBe(1);
    expect(noDb.logs.text).toContain('DB_CONNECTION_STRING');
    expect(await waitExit(unreachable.container)).toBe(1);
    expect(unreachable.logs.text).toContain('A network-related or instance-specific error occurred while establishing a connection to SQL Server.');
  });

  it('upgrades the schema 2025.1.0 -> 2025.2.0 and keeps users, keys and projects', async () => {
    const db = `Octopus_${RUN}_up`;
    const old = await startOctopus(FIXTURES.octopus.currentPrevious, db, [`MASTER_KEY=${MASTER_KEY}`]);
    const s = await signInAndCreateKey(old.base);
    const proj = await fetch(`${old.base}/api/projects`, {
      method: 'POST', headers: { 'X-Octopus-ApiKey': s.key, 'Content-Type': 'application/json' }, body: JSON.stringify({ Name: 'Survivor' }),
    });
    expect(proj.status).toBe(201);
    await old.container.stop({ t: 5 });
    expect(old.logs.text).toContain('Shutting down');

    const next = await startOctopus(FIXTURES.octopus.current, db, [`MASTER_KEY=${MASTER_KEY}`]);
    expect(next.logs.text).toContain('Upgrading database from 2025.1.0 to 2025.2.0');
    const me = await fetch(`${next.base}/api/users/me`, { headers: { 'X-Octopus-ApiKey': s.key } });
    expect(me.status).toBe(200);
    const projects = (await (await fetch(`${next.base}/api/projects`, { headers: { 'X-Octopus-ApiKey': s.key } })).json()) as { Items: { Name: string }[] };
    expect(projects.Items.map((p) => p.Name)).toEqual(['Survivor']);
    expect((await (await fetch(`${next.base}/api`)).json()) as object).toMatchObject({ Version: '2025.2.0' });

    // the older server now refuses the newer database
    const back = await run(FIXTURES.octopus.currentPrevious, ['ACCEPT_EULA=Y', `DB_CONNECTION_STRING=${connStr(db)}`, `MASTER_KEY=${MASTER_KEY}`, ...FAST]);
    expect(await waitExit(back.container)).toBe(1);
    expect(back.logs.text).toContain('is newer than this Octopus Server');
  }, 30_000);
});

describe('Octopus Server stand-in, legacy 2018 contract', () => {
  it('exits 2 without a connection string', async () => {
    const { container, logs } = await run(FIXTURES.octopus.legacy, [], { OpenStdin: true });
    expect(await waitExit(container)).toBe(2);
    expect(logs.text).toContain('Environment variable sqlDbConnectionString required');
  });

  it('exits 1 when stdin is not kept open', async () => {
    const { container, logs } = await run(FIXTURES.octopus.legacy, [`SQLDBCONNECTIONSTRING=${connStr(`Legacy_${RUN}_s`)}`, ...FAST]);
    expect(await waitExit(container)).toBe(1);
    expect(logs.text).toContain('Command returned exit code 1. Aborting.');
  });

  it('prints the generated master key (2018.3.x), listens on 81 with the image-default admin', async () => {
    const image = await docker.getImage(FIXTURES.octopus.legacy).inspect();
    expect(Object.keys(image.Config.ExposedPorts ?? {}).sort()).toEqual(['10943/tcp', '81/tcp']);
    expect(image.Config.Env).toContain('OctopusAdminPassword=Passw0rd123');
    const { container, logs } = await run(FIXTURES.octopus.legacy, [`sqlDbConnectionString=${connStr(`Legacy_${RUN}_k`)}`, ...FAST], {
      OpenStdin: true,
    });
    await logs.waitFor(FIXTURES.octopus.readyLine);
    const m = /VERBOSE: \[[^\]]+\] Display master key \.\.\.\nVERBOSE: {2}\| (\S+)\n/.exec(logs.text);
    expect(m?.[1]).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    const shown = await exec(container, [FIXTURES.octopus.cli, 'show-master-key', '--console', '--instance', 'OctopusServer']);
    expect(shown.out.trim()).toBe(m![1]);
    const login = await fetch(`http://${await ipOf(container)}:81/api/users/login`, {
      method: 'POST', body: JSON.stringify({ Username: 'admin', Password: 'Passw0rd123' }),
    });
    expect(login.status).toBe(200);
    // the image HEALTHCHECK command (interval 20 s, too slow to wait for here) answers 0 once ready
    expect(image.Config.Healthcheck).toMatchObject({ Interval: 20e9, Retries: 6 });
    expect((await exec(container, ['/app/healthcheck', 'http://localhost:81'])).code).toBe(0);
  });

  it('2018.4.0 does not print the generated master key', async () => {
    await pull(FIXTURES.octopus.legacyNoKeyPrint);
    const { logs } = await run(FIXTURES.octopus.legacyNoKeyPrint, [`SqlDbConnectionString=${connStr(`Legacy_${RUN}_n`)}`, ...FAST], {
      OpenStdin: true,
    });
    await logs.waitFor(FIXTURES.octopus.readyLine);
    expect(logs.text).not.toContain('Display master key');
  });
});

describe('private registry (basic auth)', () => {
  it('refuses wrong credentials and serves the image with the right ones', async () => {
    const { serveraddress, username, password, image } = FIXTURES.privateRegistry;
    await expect(pull(image, { serveraddress, username, password: 'wrong-password' })).rejects.toThrow();
    await expect(pull(image)).rejects.toThrow();
    await pull(image, { serveraddress, username, password });
  });
});
