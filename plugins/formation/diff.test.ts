import { describe, expect, it } from "vitest"
import { diffFormation, type FormationLive } from "./diff.ts"

const live: FormationLive = {
  app: "nails",
  appExists: true,
  processes: { web: { quantity: 1, size: "Standard-1X" }, worker: { quantity: 1, size: "Basic" } },
}

describe("diffFormation", () => {
  it("sizes compare without regard to case; in sync is no step", () => {
    expect(
      diffFormation({ web: { quantity: 1, size: "standard-1x" }, worker: { quantity: 1 } }, live),
    ).toEqual([])
  })

  it("one group step for the batch, a member per process type", () => {
    const steps = diffFormation({ web: { quantity: 2, size: "standard-2x" }, worker: { quantity: 3 } }, live)
    expect(steps.map((s) => s.key)).toEqual(["processes"])
    const members = steps[0]?.members ?? []
    expect(members.map((s) => [s.key, s.action, s.before, s.after, s.destructive ?? false])).toEqual([
      ["web", "update", { quantity: 1, size: "Standard-1X" }, { quantity: 2, size: "standard-2x" }, false],
      ["worker", "update", { quantity: 1, size: "Basic" }, { quantity: 3 }, false],
    ])
    const batch = {
      app: "nails",
      updates: [
        { type: "web", quantity: 2, size: "standard-2x" },
        { type: "worker", quantity: 3 },
      ],
    }
    expect(steps[0]?.change).toEqual(batch)
  })

  it("scaling a running process to 0 makes the batch destructive", () => {
    const steps = diffFormation({ web: { quantity: 2 }, worker: { quantity: 0 } }, live)
    expect(steps.map((s) => [s.key, s.destructive])).toEqual([["processes", true]])
    expect((steps[0]?.members ?? []).map((s) => [s.key, s.destructive ?? false, s.reason])).toEqual([
      ["web", false, "quantity or size differs"],
      ["worker", true, "scales a running process to 0"],
    ])
  })

  it("a process type not deployed yet: a step when it should run, none when it should not", () => {
    const empty: FormationLive = { app: "nails", appExists: false, processes: {} }
    const steps = diffFormation({ web: { quantity: 1 }, clock: { quantity: 0 } }, empty)
    expect(steps).toHaveLength(1)
    expect(steps[0]?.members).toHaveLength(1)
    expect(steps[0]?.members?.[0]).toMatchObject({ key: "web", action: "create", after: { quantity: 1 } })
    expect(steps[0]?.notes?.[0]).toContain("deployed first")
  })
})
