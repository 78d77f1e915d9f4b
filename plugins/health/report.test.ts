/** The health plugin's per-resource health, purely: dynos per process type and the backup's age. */
import * as Duration from "effect/Duration"
import { describe, expect, it } from "vitest"
import type { RunContext } from "../../engine/index.ts"
import { backupHealth, dynoHealth } from "./report.ts"
import { latestVerified } from "./resources.ts"

const ctx: RunContext = {
  env: "t",
  spec: { formation: { web: { quantity: 2 }, worker: { quantity: 1 } } },
  manifestDir: ".",
  dryRun: true,
}
const dynos = (...states: ReadonlyArray<[string, string]>) => ({
  _tag: "Read" as const,
  value: states.map(([name, state]) => ({ name, type: name.split(".")[0] ?? "", state })),
})

describe("dyno health", () => {
  it("a crashed dyno makes its process type unhealthy, naming it crashed", () => {
    const h = dynoHealth(dynos(["web.1", "crashed"], ["web.2", "up"], ["worker.1", "up"]), ctx)
    expect(h.map((r) => [r.resource, r.state, r.detail])).toEqual([
      ["dynos/web", "unhealthy", "1 crashed, 1 up of 2"],
      ["dynos/worker", "healthy", "1 up of 1"],
    ])
  })
  it("starting is on its way; none running is unknown (no release yet), not a problem", () => {
    const h = dynoHealth(dynos(["web.1", "starting"], ["web.2", "up"]), ctx)
    expect(h.map((r) => r.state)).toEqual(["progressing", "unknown"])
    expect(h[1]?.detail).toBe("no dynos running of 1")
  })
  it("reports a process type the manifest does not declare, and nothing for a missing app", () => {
    expect(dynoHealth(dynos(["clock.1", "crashed"]), ctx).map((r) => r.resource)).toContain("dynos/clock")
    expect(dynoHealth({ _tag: "Missing" }, ctx)).toEqual([])
  })
})

describe("backup age", () => {
  const now = new Date("2026-12-01T12:00:00Z")
  const spec = { maxBackupAge: Duration.hours(26) }
  const at = (finishedAt: string) => ({
    dynos: { _tag: "Missing" as const },
    backup: { _tag: "Read" as const, value: { name: "b007", finishedAt } },
  })
  it("older than the limit is a problem; younger is healthy", () => {
    expect(backupHealth(spec, at("2026-11-30T06:00:00Z"), now)).toMatchObject([
      { resource: "backup/latest", state: "unhealthy", detail: "b007 is 30h old (limit 26h)" },
    ])
    expect(backupHealth(spec, at("2026-11-30T12:30:00Z"), now)[0]?.state).toBe("healthy")
  })
  it("no verified backup at all is a problem; no limit reports nothing", () => {
    const none = { dynos: { _tag: "Missing" as const }, backup: { _tag: "Read" as const, value: null } }
    expect(backupHealth(spec, none, now)[0]?.state).toBe("unhealthy")
    expect(backupHealth({}, at("2020-01-01T00:00:00Z"), now)).toEqual([])
  })
  it("counts only succeeded, non-empty captures of the database's attachment", () => {
    const t = (num: number, over: object = {}) => ({
      num,
      succeeded: true,
      to_type: "gof3r",
      from_name: "DATABASE",
      finished_at: `2026-11-0${num}T00:00:00Z`,
      processed_bytes: 10,
      ...over,
    })
    const list = [
      t(1),
      t(2),
      t(3, { succeeded: false }),
      t(4, { processed_bytes: 0 }),
      t(5, { from_name: "OTHER" }),
    ]
    expect(latestVerified(list, "DATABASE")).toEqual({ name: "b002", finishedAt: "2026-11-02T00:00:00Z" })
  })
})
