/**
 * The local environment's simulator. A run either attaches to one already serving the same state
 * directory (`reconcile sim --env local`, which keeps the app running after a run) or starts its own
 * in-process for the duration of the run. Either way the embedded PostgreSQL keeps one port across
 * runs, because add-on URLs stored in the simulator's state point at it.
 */
import { createHash } from "node:crypto"
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"

export const localToken = "local-simulator-token"

export interface LocalEndpoint {
  readonly url: string
  /** Stops what this process started; nothing when it attached to a running simulator. */
  readonly close: () => Promise<void>
}

interface ServerFile {
  readonly url: string
  readonly pid: number
}

const serverFile = (dir: string) => join(dir, "server.json")

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** A simulator another process serves for this state directory, if one is running. */
const running = (dir: string): ServerFile | undefined => {
  const file = serverFile(dir)
  if (!existsSync(file)) return undefined
  const found = JSON.parse(readFileSync(file, "utf8")) as ServerFile
  return alive(found.pid) && found.pid !== process.pid ? found : undefined
}

/** A port for the local PostgreSQL that stays the same across runs (stored beside its data). */
const stablePort = async (dir: string): Promise<number> => {
  const file = join(dir, "postgres.port")
  if (existsSync(file)) return Number(readFileSync(file, "utf8").trim())
  const { freePort } = await import("../sim/postgres/embedded.ts")
  const port = await freePort()
  writeFileSync(file, `${port}\n`)
  return port
}

/** Whether every parent of `dir` lets other users (the `postgres` OS user) pass through. */
const traversable = (dir: string): boolean => {
  for (let d = dirname(dir); d !== dirname(d); d = dirname(d)) {
    if (existsSync(d) && (statSync(d).mode & 0o001) === 0) return false
  }
  return true
}

/**
 * Where the embedded PostgreSQL keeps its data. PostgreSQL refuses to run as root, so as root it
 * runs as the `postgres` user, who must be able to reach the folder: under a private home (mode 700,
 * like /root) the data goes to /var/tmp instead, one folder per state directory.
 */
const postgresDataDir = (dir: string): string => {
  const inside = join(dir, "postgres")
  if (process.getuid?.() !== 0 || traversable(inside)) return inside
  const outside = join(
    "/var/tmp/reconcile-postgres",
    createHash("sha256").update(dir).digest("hex").slice(0, 16),
  )
  mkdirSync(outside, { recursive: true, mode: 0o755 })
  chmodSync("/var/tmp/reconcile-postgres", 0o755)
  return join(outside, "data")
}

/** Starts the simulator on `dir`'s state (with real dynos and an embedded PostgreSQL). */
export const startLocalSimulator = async (dir: string, options: { readonly port?: number } = {}) => {
  mkdirSync(dir, { recursive: true })
  const { startSimulator } = await import("../sim/index.ts")
  return startSimulator({
    tokens: [localToken],
    stateFile: join(dir, "sim.json"),
    dataDir: join(dir, "sim-data"),
    postgres: { embedded: { dataDir: postgresDataDir(dir), port: await stablePort(dir) } },
    provisionDelayMs: 200,
    ...(options.port === undefined ? {} : { port: options.port }),
    // the app's processes run for real, built from their own package.json and lockfile
    dynos: {},
  })
}

/** Attaches to the running local simulator for `stateDir`, or starts one for this run. */
export const localEndpoint = async (stateDir: string): Promise<LocalEndpoint> => {
  const dir = resolve(stateDir)
  const found = running(dir)
  if (found !== undefined) {
    process.stderr.write(`  · using the local simulator already running at ${found.url} (pid ${found.pid})\n`)
    return { url: found.url, close: async () => {} }
  }
  process.stderr.write(`  · starting the local Heroku simulator and PostgreSQL (state in ${dir})\n`)
  const sim = await startLocalSimulator(dir)
  return { url: sim.url, close: () => sim.close() }
}

const webUrl = async (api: string, app: string): Promise<string> => {
  const res = await fetch(`${api}/apps/${encodeURIComponent(app)}`, {
    headers: { Accept: "application/vnd.heroku+json; version=3", Authorization: `Bearer ${localToken}` },
  })
  const body = (await res.json()) as { web_url?: string }
  return body.web_url ?? "(unknown)"
}

/** Serves the local simulator until stopped, announcing itself so runs attach to it. */
export const serveLocal = async (stateDir: string, port: number | undefined, log: (line: string) => void) => {
  const dir = resolve(stateDir)
  const found = running(dir)
  if (found !== undefined)
    throw new Error(`a local simulator already serves ${dir} at ${found.url} (pid ${found.pid})`)
  const sim = await startLocalSimulator(dir, port === undefined ? {} : { port })
  writeFileSync(serverFile(dir), `${JSON.stringify({ url: sim.url, pid: process.pid })}\n`)
  log(`Local Heroku simulator for ${dir} at ${sim.url}; runs of the local environment now use it.`)
  for (const app of sim.state().apps) log(`  ${app.name}: ${await webUrl(sim.url, app.name)}`)
  log("Press Ctrl-C to stop (the apps stop with it).")
  await new Promise<void>((done) => {
    const stop = () => {
      process.off("SIGINT", stop)
      process.off("SIGTERM", stop)
      done()
    }
    process.on("SIGINT", stop)
    process.on("SIGTERM", stop)
  })
  rmSync(serverFile(dir), { force: true })
  await sim.close()
}
