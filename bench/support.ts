/**
 * Bench support: a Postgres server (DATABASE_URL, else an embedded one in a temp folder, with
 * durability on, as in production), a fresh database on it, and a timer.
 */
import { randomBytes } from "node:crypto"
import { chmod, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import pg from "pg"
import { startEmbeddedPostgres } from "../sim/postgres/embedded.ts"

export interface BenchServer {
  readonly adminUrl: string
  readonly database: () => Promise<string>
  readonly close: () => Promise<void>
}

export const startServer = async (): Promise<BenchServer> => {
  const external = process.env.DATABASE_URL
  let adminUrl = external ?? ""
  let stop = async () => {}
  if (external === undefined || external === "") {
    const base = await mkdtemp(join(tmpdir(), "reconcile-bench-pg-"))
    await chmod(base, 0o755)
    const server = await startEmbeddedPostgres({ dataDir: join(base, "data") })
    adminUrl = server.adminUrl
    stop = async () => {
      await server.stop()
      await rm(base, { recursive: true, force: true })
    }
  }
  const created: Array<string> = []
  return {
    adminUrl,
    database: async () => {
      const name = `bench_${randomBytes(4).toString("hex")}`
      await run(adminUrl, `CREATE DATABASE "${name}"`)
      created.push(name)
      const u = new URL(adminUrl)
      u.pathname = `/${name}`
      return u.toString()
    },
    close: async () => {
      for (const name of created) await run(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      await stop()
    },
  }
}

export const run = async (url: string, text: string) => {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    return await c.query(text)
  } finally {
    await c.end()
  }
}

/** Milliseconds taken by `f`. */
export const time = async (f: () => Promise<unknown>): Promise<number> => {
  const t0 = performance.now()
  await f()
  return performance.now() - t0
}

export { median } from "./interleave.ts"

/** One target of the issue, met or not, with the figure that decides it. */
export interface BenchTarget {
  readonly target: string
  readonly figure: string
  readonly met: boolean
  /** The figure's pairwise ratios spread wider than 30% of their median (see bench/interleave.ts). */
  readonly noisy?: boolean
}

/** What one benchmark reports: human-readable figure lines (each with its ratio) and targets. */
export interface BenchResult {
  readonly name: string
  readonly lines: ReadonlyArray<string>
  readonly targets: ReadonlyArray<BenchTarget>
}

/** The marker `bench/run.ts` looks for on a benchmark's stdout. */
export const resultMarker = "BENCH_RESULT "

/** "met" / "NOT met", with "(noisy)" when the figure's spread is wider than 30%. */
export const statusOf = (t: BenchTarget): string => `${t.met ? "met" : "NOT met"}${t.noisy ? " (noisy)" : ""}`

/** Prints the figures for a person, then one machine-readable line for `bench/run.ts`. */
export const printResult = (r: BenchResult) => {
  for (const line of r.lines) console.log(line)
  for (const t of r.targets) console.log(`target: ${t.target}: ${t.figure} (${statusOf(t)})`)
  console.log(`${resultMarker}${JSON.stringify(r)}`)
}
