import { describe, expect, it } from "vitest"
import type { Step } from "../../engine/index.ts"
import { diffBackup } from "./diff.ts"

const db = { url: { fromConfigVar: "DATABASE_URL" }, backup: { provider: "heroku" as const, always: true } }
const step = (wave: string, action: string) => ({ wave, action, address: `${wave}/x` }) as unknown as Step

describe("diffBackup with always: true", () => {
  it("in an otherwise empty plan the backup is a noop step (an action, not drift) that an apply still runs", () => {
    const steps = diffBackup(db, { takenThisRun: false, always: true })
    expect(steps.map((s) => [s.key, s.action])).toEqual([["heroku", "noop"]])
    expect(steps[0]?.reason).toContain("not drift")
  })

  it("a plan that changes something else shows it as a run step; once taken this run, none", () => {
    const config = { earlier: [step("config", "update")], later: [] }
    expect(diffBackup(db, { takenThisRun: false, always: true }, config)[0]?.action).toBe("run")
    const migrations = { earlier: [], later: [step("migrations", "run")] }
    expect(diffBackup(db, { takenThisRun: false, always: true }, migrations)[0]?.action).toBe("run")
    expect(diffBackup(db, { takenThisRun: true, always: true })).toEqual([])
  })
})
