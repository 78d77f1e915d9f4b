/**
 * Run history (issue 17) against the real simulator and Postgres: three applies and one rollback of
 * staging are four recorded runs, newest first, with outcomes and releases; the JSON form decodes
 * with the exported Schema; one run's summary is shown; no secret reaches the history table.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Schema from "effect/Schema"
import pg from "pg"
import { afterAll, beforeAll, expect, test } from "vitest"
import { RunDetail, RunHistory } from "../history/RunRecord.ts"
import type { Simulator } from "../sim/index.ts"
import { deploySample } from "./heroku/support.ts"
import { allOutput, runCliAsync } from "./support/cli.ts"
import { simToken, startSim } from "./support/heroku.ts"

const canary = "canary-history-secret-7f3e9b"
const dir = mkdtempSync(join(tmpdir(), "reconcile-history-"))
let sim: Simulator

const manifest = (logLevel: string) => `apiVersion: reconcile/v1
kind: Release
metadata: { name: staging }
spec:
  app: { name: nails-history, region: us, stack: heroku-24 }
  addons:
    - { plan: "heroku-postgresql:essential-0", as: DATABASE }
  config:
    vars: { LOG_LEVEL: ${logLevel}, JWT_SECRET: { fromEnv: JWT_SECRET } }
    required: [DATABASE_URL]
  database:
    url: { fromConfigVar: DATABASE_URL }
    backup: { provider: heroku, always: true }
`

const cli = (args: ReadonlyArray<string>) =>
  runCliAsync([...args, "--manifests", dir], {
    env: {
      HEROKU_API_URL: sim.url,
      HEROKU_DATA_API_URL: sim.url,
      HEROKU_API_KEY: simToken,
      JWT_SECRET: canary,
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_REPOSITORY: "acme/nails",
      GITHUB_RUN_ID: "4242",
      GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
      GITHUB_ACTOR: "octocat",
    },
  })

beforeAll(async () => {
  sim = await startSim()
})

afterAll(async () => {
  await sim.close()
  rmSync(dir, { recursive: true, force: true })
})

test("three applies and one rollback of staging are four runs in its history", async () => {
  writeFileSync(join(dir, "staging.yaml"), manifest("info"))
  const empty = await cli(["history", "--env", "staging"])
  expect(empty.code, empty.stderr).toBe(0)
  expect(empty.stdout.trim()).toBe("no runs of staging recorded yet")
  for (const level of ["info", "debug", "warn"]) {
    writeFileSync(join(dir, "staging.yaml"), manifest(level))
    const applied = await cli(["--env", "staging"])
    expect(applied.code, `${applied.stdout}\n${applied.stderr}`).toBe(0)
    expect(applied.stderr).not.toContain("run history not recorded")
    // code to roll back to: Heroku refuses a rollback to a release without a slug
    if (level === "info") await deploySample(sim, "nails-history")
  }
  const before = sim.state().apps.find((a) => a.name === "nails-history")
  expect(before).toBeDefined()
  const listed = await cli(["history", "--env", "staging", "--output", "json"])
  const applies = Schema.decodeUnknownSync(RunHistory)(JSON.parse(listed.stdout)).runs
  const target = applies[1]?.release
  expect(target).toMatch(/^v\d+$/)

  // a preview of the rollback, with --dry-run after or before the subcommand, writes nothing
  const releaseCount = () => sim.state().releases.filter((r) => r.appId === before?.id).length
  const count = releaseCount()
  for (const args of [
    ["rollback", "--env", "staging", "--to", target ?? "", "--dry-run"],
    ["--dry-run", "rollback", "--env", "staging", "--to", target ?? ""],
  ]) {
    const preview = await cli(args)
    expect(preview.code, `${preview.stdout}\n${preview.stderr}`).toBe(0)
    expect(preview.stdout).toContain("release/rollback")
    expect(preview.stdout).toContain(`roll nails-history back from v`)
  }
  expect(releaseCount()).toBe(count)
  const misplaced = await cli(["rollback", "--env", "staging", "--allow-destroy"])
  expect(misplaced.code).toBe(1)
  expect(misplaced.stderr + misplaced.stdout).toContain(
    "--allow-destroy does not apply to reconcile rollback",
  )
  expect(releaseCount()).toBe(count)

  const rolled = await cli(["rollback", "--env", "staging", "--to", target ?? ""])
  expect(rolled.code, `${rolled.stdout}\n${rolled.stderr}`).toBe(0)

  const json = await cli(["history", "--env", "staging", "--output", "json"])
  expect(json.code, json.stderr).toBe(0)
  const history = Schema.decodeUnknownSync(RunHistory)(JSON.parse(json.stdout))
  expect(history.runs.map((r) => r.kind)).toEqual(["rollback", "apply", "apply", "apply"])
  expect(history.runs.map((r) => r.outcome)).toEqual(["succeeded", "succeeded", "succeeded", "succeeded"])
  const releases = history.runs.map((r) => Number(r.release?.slice(1)))
  // every apply and the rollback made a newer release than the run before it
  expect([...releases].sort((a, b) => b - a)).toEqual(releases)
  expect(new Set(releases).size).toBe(4)
  for (const run of history.runs.slice(1)) expect(run.backup).not.toBeNull()
  expect(history.runs[0]?.actor).toEqual({
    user: "octocat",
    ciRunUrl: "https://github.com/acme/nails/actions/runs/4242",
    commit: "0123456789abcdef0123456789abcdef01234567",
  })

  const text = await cli(["history", "--env", "staging", "--limit", "2"])
  expect(text.stdout.split("\n").filter((l) => /^\d{8}T\d{6}Z-/.test(l))).toHaveLength(2)

  const last = history.runs[1]
  const one = await cli(["history", "--env", "staging", "--run", last?.id ?? "", "--output", "json"])
  const detail = Schema.decodeUnknownSync(RunDetail)(JSON.parse(one.stdout))
  expect(detail.run.id).toBe(last?.id)
  expect(JSON.stringify(detail.summary)).toContain("config/LOG_LEVEL")
  const oneText = await cli(["history", "--env", "staging", "--run", last?.id ?? ""])
  expect(oneText.stdout).toContain(`run ${last?.id}: apply of staging, succeeded`)

  const missing = await cli(["history", "--env", "staging", "--run", "nope"])
  expect(missing.code).toBe(1)
  expect(missing.stderr).toContain("no run nope of staging is recorded")

  // canary: the secret never reaches the table, nor any output
  const url = sim.state().apps.find((a) => a.name === "nails-history")?.config.DATABASE_URL
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const rows = await client.query("SELECT * FROM _reconcile_runs")
  await client.end()
  expect(rows.rowCount).toBe(4)
  expect(JSON.stringify(rows.rows)).toContain("JWT_SECRET")
  expect(JSON.stringify(rows.rows)).not.toContain(canary)
  expect(allOutput.join("\n")).not.toContain(canary)
}, 180_000)
