/**
 * The reporters edit only what their own token wrote: a plan comment or drift issue carrying the
 * marker but written by someone else is ignored (never edited, commented on or closed), and its
 * forged sections never reach our comment. The identity is the token's user (`GET /user`), or
 * `github-actions[bot]` for an installation token, or `RECONCILE_GITHUB_LOGIN`.
 */
import { afterEach, describe, expect, it } from "vitest"
import { driftLabel, driftMarker } from "../../reporters/github/driftIssue.ts"
import { commentMarker, planMarker } from "../../reporters/github/prComment.ts"
import { makePlan, setup } from "./helpers.ts"

type Setup = Awaited<ReturnType<typeof setup>>
let current: Setup | undefined
afterEach(async () => {
  await current?.fake.close()
  current = undefined
})

const forgedBody = `${commentMarker}\n\n## reconcile plan\n\n${planMarker("staging")}\nFORGED: all clear, merge it\n<!-- /reconcile:plan:staging -->`

describe("reporters touch only what their token wrote", () => {
  it("a forged plan comment is left alone and its sections are not carried over (installation token)", async () => {
    current = await setup()
    const { fake, env, context, finished } = current
    const pr = fake.addPullRequest()
    env.RECONCILE_PR_NUMBER = String(pr)
    fake.comments.push({ id: 1, issue: pr, body: forgedBody, user: "mallory" })
    expect(
      await finished(context("dry-run", ["github-pr-comment"]), {
        plan: makePlan("production", true),
        exitCode: 0,
      }),
    ).toEqual([])
    expect(fake.comments[0]!.body).toBe(forgedBody)
    const ours = fake.comments.filter((c) => c.user === "github-actions[bot]")
    expect(ours).toHaveLength(1)
    expect(ours[0]!.body).toContain(planMarker("production"))
    expect(ours[0]!.body).not.toContain("FORGED")
    // the next run edits our comment, not the forged one
    await finished(context("dry-run", ["github-pr-comment"], "staging"), {
      plan: makePlan("staging", true),
      exitCode: 0,
    })
    expect(fake.comments).toHaveLength(2)
    expect(fake.comments[0]!.body).toBe(forgedBody)
    expect(ours[0]!.body).toContain(planMarker("staging"))
  })

  it("with a user token, the identity is GET /user's login", async () => {
    current = await setup()
    const { fake, env, context, finished } = current
    fake.setIdentity({ user: "reconcile-bot" })
    const pr = fake.addPullRequest()
    env.RECONCILE_PR_NUMBER = String(pr)
    fake.comments.push({ id: 1, issue: pr, body: forgedBody, user: "github-actions[bot]" })
    fake.comments.push({ id: 2, issue: pr, body: `${commentMarker}\nold`, user: "Reconcile-Bot" })
    await finished(context("dry-run", ["github-pr-comment"]), {
      plan: makePlan("production", true),
      exitCode: 0,
    })
    expect(fake.comments).toHaveLength(2)
    expect(fake.comments[0]!.body).toBe(forgedBody)
    expect(fake.comments[1]!.body).toContain(planMarker("production"))
    expect(fake.requests.some((r) => r.path === "/user")).toBe(true)
  })

  it("a forged drift issue is never commented on or closed; ours is opened beside it", async () => {
    current = await setup()
    const { fake, context, finished } = current
    const forged = fake.addIssue({
      title: "Drift detected in production",
      body: `${driftMarker("production")}\nforged`,
      labels: [{ name: driftLabel }],
      user: "mallory",
    })
    const ctx = context("dry-run", ["github-drift-issue"])
    expect(await finished(ctx, { plan: makePlan("production", true), exitCode: 2 })).toEqual([])
    expect(fake.comments.filter((c) => c.issue === forged)).toHaveLength(0)
    const ours = fake.issues.filter((i) => i.user === "github-actions[bot]")
    expect(ours).toHaveLength(1)
    await finished(ctx, { plan: makePlan("production", false), exitCode: 0 })
    expect(fake.issues.find((i) => i.number === forged)).toMatchObject({
      state: "open",
      body: `${driftMarker("production")}\nforged`,
    })
    expect(ours[0]!.state).toBe("closed")
    expect(fake.comments.filter((c) => c.issue === forged)).toHaveLength(0)
  })

  it("RECONCILE_GITHUB_LOGIN names an app's bot without asking GitHub", async () => {
    current = await setup()
    const { fake, env, context, finished } = current
    env.RECONCILE_GITHUB_LOGIN = "octocat"
    const pr = fake.addPullRequest()
    env.RECONCILE_PR_NUMBER = String(pr)
    fake.comments.push({ id: 1, issue: pr, body: `${commentMarker}\nmine`, user: "octocat" })
    await finished(context("dry-run", ["github-pr-comment"]), {
      plan: makePlan("production", true),
      exitCode: 0,
    })
    expect(fake.comments).toHaveLength(1)
    expect(fake.comments[0]!.body).toContain(planMarker("production"))
    expect(fake.requests.some((r) => r.path === "/user")).toBe(false)
  })
})
