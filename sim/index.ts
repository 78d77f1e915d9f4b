/**
 * The Heroku Platform API simulator, started in-process. `startSimulator` listens on 127.0.0.1 and
 * returns a handle to observe it (request log, counters), change its faults, and close it, which
 * stops everything it started (server, background work, embedded Postgres, temp directories).
 */
import { mkdtemp, rm } from "node:fs/promises"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { serveAdmin } from "./admin.ts"
import type { SimContext } from "./context.ts"
import { startBackupSchedules } from "./dataapi/scheduler.ts"
import { noopDynoRunner } from "./dyno.ts"
import { writeLoopbackPreload } from "./dynoLoopback.ts"
import { type DynoOptions, startProcessDynoRunner } from "./dynoRunner.ts"
import { dynoUser } from "./dynoUser.ts"
import type { FaultConfig } from "./faults/config.ts"
import { FaultInjector } from "./faults/injector.ts"
import { urlSigner } from "./http/limits.ts"
import { defaultRateLimit, TokenBucket } from "./http/rateLimit.ts"
import { handleApi } from "./http/server.ts"
import type { Counters, LogEntry } from "./observe/recorder.ts"
import { Recorder } from "./observe/recorder.ts"
import { delayFromEnv, type SimulatorOptions } from "./options.ts"
import { startEmbeddedPostgres } from "./postgres/embedded.ts"
import { postgresProvisioner } from "./postgres/provisioner.ts"
import { findRedisServer, type RedisServer, startRedis } from "./redis/server.ts"
import { serveBlob } from "./resources/blobs.ts"
import { serveLogs } from "./resources/logStream.ts"
import { currentRelease } from "./resources/lookup.ts"
import { notifyDynos } from "./resources/releaseOps.ts"
import { resumeWork } from "./resume.ts"
import { allRoutes } from "./routes.ts"
import type { State } from "./state/model.ts"
import { Store } from "./state/store.ts"
import { Tasks } from "./tasks.ts"

export type { DynoOptions } from "./dynoRunner.ts"
export type { FaultConfig, FaultRule } from "./faults/config.ts"
export type { Counters, LogEntry } from "./observe/recorder.ts"
export type { PostgresOption, SimulatorOptions } from "./options.ts"
export { findRedisServer } from "./redis/server.ts"

export interface Simulator {
  /** Base URL, e.g. `http://127.0.0.1:41234` (use as HEROKU_API_URL). */
  readonly url: string
  readonly port: number
  /** The admin URL of the Postgres server add-ons are created on, if any. */
  readonly postgresAdminUrl: string | null
  /** The embedded PostgreSQL this simulator started, if any: its port and credentials file. */
  readonly postgres: {
    readonly port: number
    readonly credentialsFile: string
    readonly dataDir: string
    readonly tls: boolean
  } | null
  readonly requestLog: () => readonly LogEntry[]
  readonly counters: () => Counters
  /** Clears the request log and counters. */
  readonly resetObservations: () => void
  /** Replaces the fault configuration; with a seed, restarts the random sequence. */
  readonly setFaults: (faults: FaultConfig, seed?: number) => void
  readonly faults: () => FaultConfig
  /** A snapshot of the whole state. */
  readonly state: () => State
  /**
   * Takes the scheduled daily backups due at `at` (default now), as the simulator does by itself
   * every minute; resolves with their names once they have finished.
   */
  readonly runScheduledBackups: (at?: Date) => Promise<string[]>
  /** The implemented routes and the schema links each one implements. */
  readonly routes: () => ReadonlyArray<{ method: string; pattern: string; links: readonly string[] }>
  readonly close: () => Promise<void>
}

const listen = (server: Server, port: number): Promise<number> =>
  new Promise((ok, fail) => {
    server.once("error", fail)
    server.listen(port, "127.0.0.1", () => ok((server.address() as AddressInfo).port))
  })

export const startSimulator = async (options: SimulatorOptions): Promise<Simulator> => {
  const onError = options.onError ?? ((e: unknown) => console.error("[heroku-sim]", e))
  const warn = options.onWarning ?? ((line: string) => process.stderr.write(`[heroku-sim] ${line}\n`))
  const cleanups: (() => Promise<void>)[] = []
  const cleanup = async () => {
    for (const f of cleanups.reverse()) await f().catch(onError)
  }
  try {
    let dataDir = options.dataDir
    if (dataDir === undefined) {
      const tmp = await mkdtemp(join(tmpdir(), "heroku-sim-"))
      cleanups.push(() => rm(tmp, { recursive: true, force: true }))
      dataDir = tmp
    }
    let adminUrl: string | null = null
    let embedded: Simulator["postgres"] = null
    const pgOption = options.postgres
    if (pgOption !== undefined && "adminUrl" in pgOption) adminUrl = pgOption.adminUrl
    else if (pgOption !== undefined) {
      const pg = await startEmbeddedPostgres({
        ...pgOption.embedded,
        onError: (m) => onError(m),
      })
      cleanups.push(pg.stop)
      adminUrl = pg.adminUrl
      embedded = { port: pg.port, credentialsFile: pg.credentialsFile, dataDir: pg.dataDir, tls: pg.tls }
    }
    const notice = options.onNotice ?? ((m: string) => process.stderr.write(`[heroku-sim] ${m}\n`))
    let redis: RedisServer | null = null
    if (options.redis !== undefined) {
      const binary = findRedisServer()
      if (binary === null)
        notice("no redis-server on PATH: heroku-redis add-ons get a REDIS_URL that nothing answers")
      else {
        redis = await startRedis(binary, options.redis.dataDir, (m) => onError(m))
        cleanups.push(redis.stop)
      }
    }
    const store = Store.open(options.stateFile)
    const recorder = new Recorder()
    const tasks = new Tasks(onError)
    const dynoOptions = (dynos: DynoOptions, dir: string): DynoOptions => ({
      pidDir: join(dir, "dynos"),
      user: dynoUser(dir, warn),
      onWarning: warn,
      preload: writeLoopbackPreload(dir),
      ...dynos,
    })
    const dynoRunner =
      options.dynoRunner ??
      (options.dynos === undefined
        ? noopDynoRunner
        : await startProcessDynoRunner(dynoOptions(options.dynos, dataDir), onError))
    let baseUrl = ""
    const signer = urlSigner(options.tokens)
    const ctx: SimContext = {
      store,
      state: store.state,
      recorder,
      tasks,
      dynoRunner,
      logSessions: new Map(),
      databases: adminUrl === null ? null : postgresProvisioner(adminUrl),
      redis,
      notice,
      dataDir,
      provisionDelayMs: options.provisionDelayMs ?? delayFromEnv("HEROKU_SIM_PROVISION_DELAY_MS", 300),
      acmDelayMs: options.acmDelayMs ?? delayFromEnv("HEROKU_SIM_ACM_DELAY_MS", 1500),
      baseUrl: () => baseUrl,
      blobUrl: (path) => `${baseUrl}${signer.sign(path)}`,
      now: () => new Date().toISOString(),
    }
    const bucket = new TokenBucket(options.rateLimit ?? defaultRateLimit)
    const faults = new FaultInjector(options.faults ?? {}, options.seed ?? 1)
    const routes = allRoutes(ctx, () => bucket.remaining())
    const api = {
      routes,
      tokens: options.tokens,
      bucket,
      faults,
      recorder,
      save: () => store.save(),
      onError,
    }
    const { runSchedules, stop: stopSchedules } = startBackupSchedules(ctx, onError)
    cleanups.push(async () => stopSchedules())
    const server = createServer((req, res) => {
      const path = new URL(req.url ?? "/", "http://sim").pathname
      const work = async () => {
        if (path.startsWith("/__sim/") && options.admin === true)
          return serveAdmin({ recorder, faults, tokens: options.tokens, runSchedules }, req, res, path)
        if (serveLogs(ctx, req, res, path)) return
        if (await serveBlob(ctx, { signer, tokens: options.tokens }, req, res, path)) return
        await handleApi(api, req, res, path)
      }
      work().catch((e: unknown) => {
        onError(e)
        if (!res.headersSent) res.writeHead(500).end()
        else res.destroy()
      })
    })
    const port = await listen(server, options.port ?? 0)
    baseUrl = `http://127.0.0.1:${port}`
    cleanups.push(async () => {
      const closed = new Promise<void>((ok) => server.close(() => ok()))
      await tasks.close()
      await dynoRunner.close()
      server.closeAllConnections()
      await closed
      store.save()
    })
    resumeWork(ctx)
    for (const app of ctx.state.apps) {
      const release = currentRelease(ctx, app)
      if (release !== undefined) notifyDynos(ctx, app, release)
    }
    return {
      url: baseUrl,
      port,
      postgresAdminUrl: adminUrl,
      postgres: embedded,
      requestLog: () => recorder.entries(),
      counters: () => recorder.counters(),
      resetObservations: () => recorder.reset(),
      setFaults: (f, seed) => faults.set(f, seed),
      faults: () => faults.current,
      state: () => structuredClone(store.state),
      runScheduledBackups: runSchedules,
      routes: () => routes.map((r) => ({ method: r.method, pattern: r.pattern, links: r.links })),
      close: cleanup,
    }
  } catch (e) {
    await cleanup()
    throw e
  }
}
