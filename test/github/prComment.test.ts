import { writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { commentMarker, planMarker } from "../../reporters/github/prComment.ts"
import { bodiesWithCanary, makePlan, setup } from "./helpers.ts"

type Setup = Awaited<ReturnType<typeof setup>>
let current: Setup | undefined
afterEach(async () => {
  await current?.fake.close()
  current = undefined
})

const pr = ["github-pr-comment"]

describe("pull-request plan comment", () => {
  it("three dry-runs on one PR leave exactly one comment with the latest plan", async () => {
    current = await setup()
    const { fake, env, context, finished } = current
    const number = fake.addPullRequest()
    const event = join(tmpdir(), `reconcile-event-${process.pid}-${Date.now()}.json`)
    writeFileSync(event, JSON.stringify({ pull_request: { number } }))
    env.GITHUB_EVENT_PATH = event
    // someone else's comments, enough to make the listing span pages
    for (let i = 0; i < 105; i++) fake.comments.push({ id: i + 1, issue: number, body: `lgtm ${i}` })

    const runs = ["2026-01-14T10:00:00.000Z", "2026-01-14T11:00:00.000Z", "2026-01-14T12:00:00.000Z"]
    for (const at of runs) {
      expect(
        await finished(context("dry-run", pr), { plan: makePlan("production", true, at), exitCode: 0 }),
      ).toEqual([])
    }
    const ours = fake.comments.filter((c) => c.body.includes(commentMarker))
    expect(ours).toHaveLength(1)
    expect(ours[0]!.body).toContain(planMarker("production"))
    expect(ours[0]!.body).toContain(runs[2])
    expect(ours[0]!.body).not.toContain(runs[1])
    expect(bodiesWithCanary(fake)).toEqual([])
  })

  it("keeps one section per environment in the same comment (PR number from RECONCILE_PR_NUMBER)", async () => {
    current = await setup()
    const { fake, env, context, finished } = current
    env.RECONCILE_PR_NUMBER = String(fake.addPullRequest())
    await finished(context("dry-run", pr, "staging"), { plan: makePlan("staging", true), exitCode: 0 })
    await finished(context("dry-run", pr, "production"), { plan: makePlan("production", false), exitCode: 0 })
    await finished(context("dry-run", pr, "staging"), { plan: makePlan("staging", false), exitCode: 0 })
    expect(fake.comments).toHaveLength(1)
    const body = fake.comments[0]!.body
    expect(body.indexOf(planMarker("production"))).toBeLessThan(body.indexOf(planMarker("staging")))
    expect(body).toContain("### Plan: production — no changes")
    expect(body).toContain("### Plan: staging — no changes")
  })

  it("without a pull request number it says so and sends nothing", async () => {
    current = await setup()
    const { fake, context, finished } = current
    const notes = await finished(context("dry-run", pr), { plan: makePlan("production", true), exitCode: 0 })
    expect(notes).toHaveLength(1)
    expect(notes[0]).toMatch(/no pull request/)
    expect(fake.requests).toEqual([])
  })

  it("retries a rate limit and a secondary limit, then posts", async () => {
    current = await setup()
    const { fake, env, context, finished } = current
    env.RECONCILE_PR_NUMBER = String(fake.addPullRequest())
    fake.fault("rateLimit", 1)
    expect(
      await finished(context("dry-run", pr), { plan: makePlan("production", true), exitCode: 0 }),
    ).toEqual([])
    // the limited identity lookup, its retry, the listing, the new comment
    expect(fake.requests.map((r) => `${r.method} ${r.path.split("?")[0]}`)).toEqual([
      "GET /user",
      "GET /user",
      "GET /repos/acme/app/issues/1/comments",
      "POST /repos/acme/app/issues/1/comments",
    ])
    fake.fault("secondaryRateLimit", 1)
    expect(
      await finished(context("dry-run", pr), { plan: makePlan("production", false), exitCode: 0 }),
    ).toEqual([])
    expect(fake.comments).toHaveLength(1)
    expect(fake.comments[0]!.body).toContain("no changes")
  })

  it("does not wait out a rate limit that outlasts the report's deadline", async () => {
    current = await setup({ rateLimitBaseMs: 1_000, deadlineMs: 1_500 })
    const { fake, env, context, finished } = current
    env.RECONCILE_PR_NUMBER = String(fake.addPullRequest())
    fake.fault("rateLimit", 1)
    const notes = await finished(context("dry-run", pr), { plan: makePlan("production", true), exitCode: 0 })
    expect(notes).toEqual([
      "github: could not update the production plan comment on pull request #1: GitHub answered 403: API rate limit exceeded",
    ])
    // waiting the limit out would have sent the comment again (the fault answers only once)
    expect(fake.requests).toHaveLength(1)
  })
})
