/**
 * One fixture for end-to-end tests of the bundled CLI: a throwaway "repository" folder holding
 * `manifests/` (the CLI's working directory, so its `.reconcile/` lock files and state never land in
 * the checkout or meet another test file's), the real simulator on a random loopback port, the
 * environment that points the CLI at it, and throwaway databases. `cliFixture()` registers the
 * `beforeAll`/`afterAll` hooks that start and remove all of it; call it once at a test file's top.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll } from "vitest"
import type { Simulator } from "../../sim/index.ts"
import type { SimulatorOptions } from "../../sim/options.ts"
import { createDatabase, dropDatabase } from "../database/support.ts"
import { type CliRun, runCliAsync } from "./cli.ts"
import { simToken, startSim } from "./heroku.ts"
import { type HerokuClient, herokuClient } from "./simClient.ts"

export interface CliFixtureOptions {
  /** Names the temp folder (`reconcile-<prefix>-XXXXXX`). */
  readonly prefix: string
  /** Simulator options, or a function of the fixture's root (for state paths); false: no simulator. */
  readonly sim?: false | Partial<SimulatorOptions> | ((root: string) => Partial<SimulatorOptions>)
  /** More environment for every CLI run (secrets a manifest reads with `fromEnv`, ...). */
  readonly env?: Readonly<Record<string, string>>
}

export interface CliRunOptions {
  readonly env?: Readonly<Record<string, string | undefined>>
  readonly cwd?: string
}

export interface CliFixture {
  /** The temp repository folder: the CLI's working directory. */
  readonly root: string
  /** `<root>/manifests`, passed to every CLI run as `--manifests`. */
  readonly manifests: string
  /** The simulator (started in `beforeAll`). */
  readonly sim: Simulator
  /** A Platform API client on the simulator, with its token. */
  readonly api: HerokuClient
  /** The environment a CLI run gets: the simulator's URLs and token, plus `options.env`. */
  readonly env: Readonly<Record<string, string>>
  /** Writes `manifests/<name>.yaml`; returns its path. */
  readonly write: (name: string, yaml: string) => string
  /** A new folder inside the root (paths a manifest names must stay inside the root). */
  readonly scratch: (prefix: string) => string
  /** Runs the bundled CLI with `--manifests <root>/manifests` in the root, against the simulator. */
  readonly cli: (args: ReadonlyArray<string>, options?: CliRunOptions) => Promise<CliRun>
  /** A new empty database on the test run's Postgres, dropped after the file's tests. */
  readonly database: (prefix: string) => Promise<{ readonly name: string; readonly url: string }>
}

/** Registers the hooks and returns the fixture; `sim`, `api` and `env` are ready inside tests. */
export const cliFixture = (options: CliFixtureOptions): CliFixture => {
  const root = mkdtempSync(join(tmpdir(), `reconcile-${options.prefix}-`))
  const manifests = join(root, "manifests")
  mkdirSync(manifests)
  const databases: Array<string> = []
  let sim: Simulator | undefined

  beforeAll(async () => {
    if (options.sim === false) return
    sim = await startSim(typeof options.sim === "function" ? options.sim(root) : options.sim)
  }, 120_000)
  afterAll(async () => {
    try {
      await sim?.close()
      for (const name of databases) await dropDatabase(name)
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  }, 120_000)

  const started = (): Simulator => {
    if (sim === undefined) {
      throw new Error(
        options.sim === false ? "this fixture has no simulator" : "the simulator starts in beforeAll",
      )
    }
    return sim
  }
  const env = (): Record<string, string> => {
    const url = started().url
    return { HEROKU_API_URL: url, HEROKU_DATA_API_URL: url, HEROKU_API_KEY: simToken, ...options.env }
  }

  return {
    root,
    manifests,
    get sim() {
      return started()
    },
    get api() {
      return herokuClient(started().url, simToken)
    },
    get env() {
      return env()
    },
    write: (name, yaml) => {
      const file = join(manifests, `${name}.yaml`)
      writeFileSync(file, yaml)
      return file
    },
    scratch: (prefix) => mkdtempSync(join(root, prefix)),
    cli: (args, run = {}) =>
      runCliAsync([...args, "--manifests", manifests], {
        cwd: run.cwd ?? root,
        env: { ...(options.sim === false ? options.env : env()), ...run.env },
      }),
    database: async (prefix) => {
      const db = await createDatabase(prefix)
      databases.push(db.name)
      return db
    },
  }
}
