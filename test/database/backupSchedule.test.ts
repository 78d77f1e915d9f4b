/**
 * `database.backup.schedule` through the bundled CLI against the simulator: the first apply creates
 * the daily schedule (the simulator lists it), a changed hour is drift that a dry-run shows and an
 * apply converges, and a schedule with the pg_dump provider is an error in the plan.
 */
import { describe, expect, it } from "vitest"
import { diffSchedule, scheduleProblems } from "../../plugins/backup/schedule.ts"
import { cliFixture } from "../support/cliFixture.ts"

const app = `bk-sched-${process.pid}`
const fx = cliFixture({ prefix: "bksched" })

const manifest = (schedule: string) => `apiVersion: reconcile/v1
kind: Release
metadata: { name: staging }
spec:
  app: { name: ${app}, region: us, stack: heroku-24 }
  addons:
    - { plan: "heroku-postgresql:essential-0", as: DATABASE }
  database:
    url: { fromConfigVar: DATABASE_URL }
    backup: { provider: heroku, schedule: ${schedule} }
`

const cli = (args: ReadonlyArray<string>) => fx.cli(args)

const schedules = async () => {
  const api = fx.api
  const addons = (await api.call("GET", `/apps/${app}/addons`)).body as Array<{ id: string }>
  const listed = await api.call("GET", `/client/v11/databases/${addons[0]?.id}/transfer-schedules`)
  return (listed.body as Array<{ name: string; hour: number; timezone: string }>).map((s) => [
    s.name,
    s.hour,
    s.timezone,
  ])
}

describe("backup schedule", () => {
  it("diff: create, update, nothing when equal; a schedule without the heroku provider is a problem", () => {
    const db = (provider: "heroku" | "pg_dump", timezone?: string) => ({
      url: { fromConfigVar: "DATABASE_URL" },
      backup: { provider, schedule: { hour: 2, ...(timezone === undefined ? {} : { timezone }) } },
    })
    expect(diffSchedule(db("heroku"), null).map((c) => [c.action, c.after])).toEqual([
      ["create", "daily at 02:00 UTC"],
    ])
    expect(diffSchedule(db("heroku"), { hour: 2, timezone: "UTC" })).toEqual([])
    expect(diffSchedule(db("heroku", "Europe/Paris"), { hour: 2, timezone: "UTC" })[0]?.before).toBe(
      "daily at 02:00 UTC",
    )
    expect(scheduleProblems(db("pg_dump"))[0]?.message).toContain("needs provider heroku")
    expect(scheduleProblems(db("heroku"))).toEqual([])
  })

  it("is created by the first apply; a changed hour shows as drift and applies", async () => {
    fx.write("staging", manifest("{ hour: 2, timezone: UTC }"))
    const first = await cli(["--env", "staging"])
    expect(first.code, `${first.stdout}\n${first.stderr}`).toBe(0)
    expect(first.stdout).toContain("backup/schedule")
    expect(await schedules()).toEqual([["DATABASE_URL", 2, "UTC"]])

    fx.write("staging", manifest("{ hour: 3 }"))
    const drift = await cli(["--env", "staging", "--dry-run", "--detailed-exitcode"])
    expect(drift.code, drift.stderr).toBe(2)
    expect(drift.stdout).toMatch(/backup\/schedule: "daily at 02:00 UTC" → "daily at 03:00 UTC"/)
    const applied = await cli(["--env", "staging"])
    expect(applied.code, `${applied.stdout}\n${applied.stderr}`).toBe(0)
    expect(await schedules()).toEqual([["DATABASE_URL", 3, "UTC"]])
    const clean = await cli(["--env", "staging", "--dry-run", "--detailed-exitcode"])
    expect(clean.code, clean.stdout).toBe(0)
  }, 90_000)
})
