import { afterEach, describe, expect, it } from "vitest"
import { driftLabel, driftMarker } from "../../reporters/github/driftIssue.ts"
import { bodiesWithCanary, makePlan, setup } from "./helpers.ts"

type Setup = Awaited<ReturnType<typeof setup>>
let current: Setup | undefined
afterEach(async () => {
  await current?.fake.close()
  current = undefined
})

const drift = ["github-drift-issue"]

describe("drift issue", () => {
  it("opens on drift, comments while it persists, closes in sync, reopens without duplicating", async () => {
    current = await setup()
    const { fake, context, finished } = current
    fake.addIssues(120) // the listing spans pages
    const ctx = context("dry-run", drift)
    const driftRun = (at: string) => finished(ctx, { plan: makePlan("production", true, at), exitCode: 2 })

    expect(await driftRun("2026-01-14T10:00:00.000Z")).toEqual([])
    const opened = fake.issues.filter((i) => i.body.includes(driftMarker("production")))
    expect(opened).toHaveLength(1)
    const issue = opened[0]!
    expect(issue).toMatchObject({ state: "open", title: "Drift detected in production" })
    expect(issue.labels.map((l) => l.name)).toEqual([driftLabel])
    expect(issue.body).toContain("config/NODE_ENV")
    expect(issue.body).toContain("https://github.example/acme/app/actions/runs/4242")

    expect(await driftRun("2026-01-15T10:00:00.000Z")).toEqual([])
    expect(fake.comments.filter((c) => c.issue === issue.number)).toHaveLength(1)
    expect(fake.comments.at(-1)!.body).toContain("Still drifting")

    expect(await finished(ctx, { plan: makePlan("production", false), exitCode: 0 })).toEqual([])
    expect(issue).toMatchObject({ state: "closed", state_reason: "completed" })
    expect(fake.comments.at(-1)!.body).toContain("back in sync")

    // in sync again: nothing to do, nothing written
    const writes = fake.requests.filter((r) => r.method !== "GET").length
    expect(await finished(ctx, { plan: makePlan("production", false), exitCode: 0 })).toEqual([])
    expect(fake.requests.filter((r) => r.method !== "GET")).toHaveLength(writes)

    expect(await driftRun("2026-01-16T10:00:00.000Z")).toEqual([])
    expect(fake.issues.filter((i) => i.body.includes(driftMarker("production")))).toHaveLength(1)
    expect(issue.state).toBe("open")
    expect(fake.comments.at(-1)!.body).toContain("Drift is back")
    expect(bodiesWithCanary(fake)).toEqual([])
  })

  it("keeps one issue per environment and finds an issue whose label was removed", async () => {
    current = await setup()
    const { fake, context, finished } = current
    await finished(context("dry-run", drift, "staging"), { plan: makePlan("staging", true), exitCode: 2 })
    fake.issues[0]!.labels = []
    fake.addIssues(150) // newer issues push it to the second page of the full listing
    await finished(context("dry-run", drift, "staging"), { plan: makePlan("staging", true), exitCode: 2 })
    await finished(context("dry-run", drift), { plan: makePlan("production", true), exitCode: 2 })
    const drifts = fake.issues.filter((i) => i.title.startsWith("Drift"))
    expect(drifts.map((i) => i.title)).toEqual(["Drift detected in staging", "Drift detected in production"])
    expect(fake.comments.map((c) => c.issue)).toEqual([1])
    expect(fake.requests.some((r) => r.path.includes("page=2"))).toBe(true)
  })

  it("leaves the issue alone when the dry-run failed, and says so", async () => {
    current = await setup()
    const { fake, context, finished } = current
    const notes = await finished(context("dry-run", drift), {
      plan: makePlan("production", true),
      exitCode: 1,
    })
    expect(notes.join("\n")).toMatch(/drift issue was left as it is/)
    expect(fake.requests).toEqual([])
  })
})
