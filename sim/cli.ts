/**
 * `reconcile sim`: runs the simulator standalone until SIGINT or SIGTERM. Prints the URL and the
 * token to use on stderr. By default it starts an embedded Postgres under the data directory. With
 * a state file the token is the data directory's own (`api-token`, 0600), so it survives restarts.
 */
import { randomBytes } from "node:crypto"
import { readFile } from "node:fs/promises"
import { dirname, join, resolve } from "node:path"
import { parseFaultConfig } from "./faults/config.ts"
import { startSimulator } from "./index.ts"
import type { PostgresOption } from "./options.ts"
import { stateToken, tokenFile } from "./token.ts"

export interface SimulatorCliOptions {
  /** Port on 127.0.0.1 (default: random). */
  readonly port?: number
  /** JSON state file (default: in memory only). */
  readonly state?: string
  /** Path to a JSON fault configuration (may include `seed`). */
  readonly faults?: string
  /** Sources, slugs and the embedded Postgres data (default: beside the state file, or .reconcile/sim). */
  readonly dataDir?: string
  /** Accepted token (default: $HEROKU_API_KEY, else the data directory's token with a state file, else a random one). */
  readonly token?: string
  /** Use this Postgres server instead of an embedded one; "none" refuses Postgres add-ons. */
  readonly postgresAdminUrl?: string
  readonly admin?: boolean
  readonly seed?: number
  /** Also stops the simulator when aborted (for embedding and tests). */
  readonly signal?: AbortSignal
  /** Where messages go (default: stderr). */
  readonly log?: (line: string) => void
}

const readFaults = async (path: string) => {
  const raw: unknown = JSON.parse(await readFile(path, "utf8"))
  const seed = typeof raw === "object" && raw !== null ? (raw as { seed?: unknown }).seed : undefined
  return { faults: parseFaultConfig(raw), seed: typeof seed === "number" ? seed : undefined }
}

/** Starts the simulator and resolves after it has closed on SIGINT/SIGTERM (or `signal`). */
export const runSimulatorCli = async (options: SimulatorCliOptions): Promise<void> => {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`))
  const dataDir = resolve(
    options.dataDir ??
      (options.state === undefined ? join(".reconcile", "sim") : join(dirname(options.state), "sim-data")),
  )
  const given = options.token ?? process.env.HEROKU_API_KEY
  const token =
    given ?? (options.state === undefined ? `sim-${randomBytes(12).toString("hex")}` : stateToken(dataDir))
  const fromFile = options.faults === undefined ? undefined : await readFaults(options.faults)
  const postgres: PostgresOption | undefined =
    options.postgresAdminUrl === "none"
      ? undefined
      : options.postgresAdminUrl !== undefined
        ? { adminUrl: options.postgresAdminUrl }
        : { embedded: { dataDir: join(dataDir, "postgres") } }
  const seed = options.seed ?? fromFile?.seed
  const sim = await startSimulator({
    tokens: [token],
    dataDir,
    redis: { dataDir: join(dataDir, "redis") },
    onNotice: (m) => log(`[heroku-sim] ${m}`),
    admin: options.admin ?? true,
    // every app's formation runs as real processes, as in the local environment
    dynos: {},
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.state === undefined ? {} : { stateFile: resolve(options.state) }),
    ...(fromFile === undefined ? {} : { faults: fromFile.faults }),
    ...(postgres === undefined ? {} : { postgres }),
    ...(seed === undefined ? {} : { seed }),
  })
  log(`Heroku simulator listening on ${sim.url}`)
  log(`  export HEROKU_API_URL=${sim.url}`)
  // a token the user supplied may be a real one: never echo it
  log(
    given === undefined
      ? `  export HEROKU_API_KEY=${token}`
      : "  HEROKU_API_KEY: the token already in your environment",
  )
  if (given === undefined && options.state !== undefined)
    log(`  (the token is kept in ${tokenFile(dataDir)})`)
  if (sim.postgres !== null)
    log(
      `  PostgreSQL on 127.0.0.1:${sim.postgres.port}, superuser credentials in ${sim.postgres.credentialsFile}`,
    )
  log("Press Ctrl-C to stop.")
  await new Promise<void>((done) => {
    const stop = () => {
      process.off("SIGINT", stop)
      process.off("SIGTERM", stop)
      options.signal?.removeEventListener("abort", stop)
      done()
    }
    process.on("SIGINT", stop)
    process.on("SIGTERM", stop)
    if (options.signal?.aborted === true) stop()
    options.signal?.addEventListener("abort", stop)
  })
  log("Stopping the simulator...")
  await sim.close()
}
