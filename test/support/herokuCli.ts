/**
 * The official Heroku CLI, a client we did not write, against a standalone simulator: shared by the
 * test/herokuCli*.test.ts files (each its own simulator, apps and HOME). The CLI is not a dependency
 * of the product (it is ~700 packages): `.ci/run` installs it under `.cache/heroku-cli/`, or
 * `HEROKU_CLI_BIN` names one. Without either, the suite says loudly which file was skipped.
 */
import { execFile } from "node:child_process"
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { type Simulator, startSimulator } from "../../sim/index.ts"
import { postgresAdminUrl } from "./postgres.ts"

const bundled = resolve(import.meta.dirname, "../../.cache/heroku-cli/node_modules/.bin/heroku")
export const herokuBin = process.env.HEROKU_CLI_BIN ?? (existsSync(bundled) ? bundled : undefined)

/** Warns that `file` is skipped when the CLI is missing; true when it can run. */
export const herokuCliPresent = (file: string): boolean => {
  if (herokuBin !== undefined) return true
  console.warn(
    `\n*** SKIPPED ${file}: the official Heroku CLI is not installed. ` +
      "Run `npm install --prefix .cache/heroku-cli --ignore-scripts heroku@11` (as .ci/run does) " +
      "or set HEROKU_CLI_BIN. ***\n",
  )
  return false
}

export const herokuCliToken = "cli-token"

export interface HerokuRun {
  readonly code: number
  readonly out: string
}

/** A simulator, a HOME for the CLI, and `heroku(...args)` running the CLI against them. */
export interface HerokuCliFixture {
  readonly sim: Simulator
  readonly home: string
  readonly heroku: (...args: string[]) => Promise<HerokuRun>
  readonly close: () => Promise<void>
}

export const startHerokuCliFixture = async (): Promise<HerokuCliFixture> => {
  const dataDir = mkdtempSync(join(tmpdir(), "sim-heroku-cli-"))
  const home = mkdtempSync(join(tmpdir(), "heroku-cli-home-"))
  const sim = await startSimulator({
    tokens: [herokuCliToken],
    dataDir,
    postgres: { adminUrl: postgresAdminUrl() },
    provisionDelayMs: 20,
    dynos: { graceMs: 300 },
  })

  // At most two CLI processes at once (each loads ~700 packages): enough to overlap waiting, not a load spike.
  let running = 0
  const waiting: Array<() => void> = []
  const slot = async <A>(f: () => Promise<A>): Promise<A> => {
    if (running < 2) running++
    else await new Promise<void>((r) => waiting.push(r)) // a finished call hands its slot over
    try {
      return await f()
    } finally {
      const next = waiting.shift()
      if (next === undefined) running--
      else next()
    }
  }

  /** Runs `heroku ARGS` against the simulator; resolves with its exit code and output. */
  const heroku = (...args: string[]) =>
    slot(
      () =>
        new Promise<HerokuRun>((ok) => {
          execFile(
            herokuBin!,
            args,
            {
              // a guard against a hung process; the test's timeout is the limit
              timeout: 180_000,
              env: {
                PATH: process.env.PATH,
                HOME: home,
                HEROKU_HOST: sim.url,
                HEROKU_API_KEY: herokuCliToken,
                // the Data API (pg:backups) on the same loopback port: the CLI takes the scheme and port from HEROKU_HOST
                HEROKU_DATA_HOST: "127.0.0.1",
                HEROKU_SKIP_NEW_VERSION_CHECK: "1",
                HEROKU_DISABLE_AUTOUPDATE: "1",
                // no analytics worker process per command (and no attempt to reach the network)
                DISABLE_TELEMETRY: "true",
                NO_COLOR: "1",
                CI: "1",
              },
            },
            (error, stdout, stderr) =>
              ok({
                code: error === null ? 0 : Number(error.code ?? 1),
                out: `${error?.killed ? `[heroku ${args[0]} killed by ${error.signal}]\n` : ""}${stdout}${stderr}`,
              }),
          )
        }),
    )

  const close = async () => {
    await sim.close()
    for (const d of [dataDir, home]) rmSync(d, { recursive: true, force: true })
  }
  return { sim, home, heroku, close }
}
