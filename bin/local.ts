/**
 * The local environment's simulator. A run either attaches to one already serving the same state
 * directory (`reconcile sim --env local`, which keeps the app running after a run) or starts its own
 * in-process for the duration of the run. Either way the embedded PostgreSQL keeps one port and its
 * credentials across runs (add-on URLs stored in the simulator's state point at it), and the API
 * token is the state directory's own (`api-token`, 0600), never a fixed one.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { stateToken } from "../sim/token.ts"

export interface LocalEndpoint {
  readonly url: string
  /** The API token of this state directory. */
  readonly token: string
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
  let found: ServerFile
  try {
    found = JSON.parse(readFileSync(file, "utf8")) as ServerFile
  } catch {
    return undefined
  }
  return typeof found.pid === "number" && alive(found.pid) && found.pid !== process.pid ? found : undefined
}

/** The PostgreSQL port of a state directory made before the port was kept with its credentials. */
const legacyPort = (dir: string): { port?: number } => {
  const file = join(dir, "postgres.port")
  const port = existsSync(file) ? Number(readFileSync(file, "utf8").trim()) : Number.NaN
  return Number.isInteger(port) && port > 0 ? { port } : {}
}

/** Starts the simulator on `dir`'s state (with real dynos and an embedded PostgreSQL). */
export const startLocalSimulator = async (dir: string, options: { readonly port?: number } = {}) => {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const { startSimulator } = await import("../sim/index.ts")
  return startSimulator({
    tokens: [stateToken(dir)],
    stateFile: join(dir, "sim.json"),
    dataDir: join(dir, "sim-data"),
    redis: { dataDir: join(dir, "redis") },
    postgres: { embedded: { dataDir: join(dir, "postgres"), ...legacyPort(dir) } },
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
    return { url: found.url, token: stateToken(dir), close: async () => {} }
  }
  process.stderr.write(`  · starting the local Heroku simulator and PostgreSQL (state in ${dir})\n`)
  const sim = await startLocalSimulator(dir)
  return { url: sim.url, token: stateToken(dir), close: () => sim.close() }
}

const webUrl = async (api: string, token: string, app: string): Promise<string> => {
  const res = await fetch(`${api}/apps/${encodeURIComponent(app)}`, {
    headers: { Accept: "application/vnd.heroku+json; version=3", Authorization: `Bearer ${token}` },
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
  // 0600: it tells where the simulator listens; the token beside it is the key
  writeFileSync(serverFile(dir), `${JSON.stringify({ url: sim.url, pid: process.pid })}\n`, { mode: 0o600 })
  chmodSync(serverFile(dir), 0o600)
  log(`Local Heroku simulator for ${dir} at ${sim.url}; runs of the local environment now use it.`)
  for (const app of sim.state().apps)
    log(`  ${app.name}: ${await webUrl(sim.url, stateToken(dir), app.name)}`)
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
