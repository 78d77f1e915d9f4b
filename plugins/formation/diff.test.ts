import { describe, expect, it } from "vitest"
import { diffFormation, type FormationLive, sizeProblems, sizesToCheck } from "./diff.ts"

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

describe("sizeProblems", () => {
  it("an unknown size is a problem with the closest names; a retired one names its replacement", () => {
    const sizes = ["Eco", "Basic", "Standard-1X", "Standard-2X", "Performance-M"]
    const problems = sizeProblems(
      { web: { quantity: 1, size: "hobby" }, worker: { quantity: 1, size: "standard-3x" } },
      { ...live, sizes },
    )
    expect(problems).toEqual([
      {
        key: "web",
        message:
          'unknown dyno size "hobby" (hobby dynos were retired; Basic replaced them); did you mean Basic, Eco or Standard-1X?',
      },
      {
        key: "worker",
        message: expect.stringMatching(
          /^unknown dyno size "standard-3x"; did you mean Standard-1X, Standard-2X/,
        ),
      },
    ])
    // any case is fine, and without a catalog (nothing to check) there is no problem
    expect(sizeProblems({ web: { quantity: 1, size: "standard-2X" } }, { ...live, sizes })).toEqual([])
    expect(sizeProblems({ web: { quantity: 1, size: "hobby" } }, live)).toEqual([])
  })

  it("only sizes that differ from the live ones are checked (a no-op reads no catalog)", () => {
    expect(
      sizesToCheck({ web: { quantity: 3, size: "STANDARD-1x" }, worker: { quantity: 1 } }, live.processes),
    ).toEqual([])
    expect(
      sizesToCheck(
        { web: { quantity: 1, size: "hobby" }, clock: { quantity: 1, size: "Eco" } },
        live.processes,
      ),
    ).toEqual([
      ["web", "hobby"],
      ["clock", "Eco"],
    ])
  })
})
