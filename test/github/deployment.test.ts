import { afterEach, describe, expect, it } from "vitest"
import { bodiesWithCanary, makePlan, makeSummary, setup } from "./helpers.ts"

type Setup = Awaited<ReturnType<typeof setup>>
let current: Setup | undefined
afterEach(async () => {
  await current?.fake.close()
  current = undefined
})

const deployment = ["github-deployment"]
const runUrl = "https://github.example/acme/app/actions/runs/4242"

describe("deployments", () => {
  it("a successful apply: in_progress, then success with the log and environment URLs", async () => {
    current = await setup()
    const { fake, context, started, finished } = current
    const ctx = context("apply", deployment, "staging")
    const plan = makePlan("staging", true)
    expect(await started(ctx, plan)).toEqual([])
    expect(fake.deployments).toHaveLength(1)
    expect(fake.deployments[0]!.statuses.map((s) => s.state)).toEqual(["in_progress"])
    expect(await finished(ctx, { plan, summary: makeSummary(plan, true), exitCode: 0 })).toEqual([])

    expect(fake.deployments).toHaveLength(1)
    const [only] = fake.deployments
    expect(only).toMatchObject({ environment: "staging", ref: "0123456789abcdef0123456789abcdef01234567" })
    expect(only!.statuses.map((s) => s.state)).toEqual(["in_progress", "success"])
    expect(only!.statuses[1]).toMatchObject({
      log_url: runUrl,
      environment_url: "https://acme-staging.herokuapp.com",
    })
    expect(bodiesWithCanary(fake)).toEqual([])
  })

  it("a failed apply: in_progress, then failure", async () => {
    current = await setup()
    const { fake, context, started, finished } = current
    const ctx = context("apply", deployment)
    const plan = makePlan("production", true)
    await started(ctx, plan)
    expect(await finished(ctx, { plan, summary: makeSummary(plan, false), exitCode: 1 })).toEqual([])
    expect(fake.deployments.map((d) => d.statuses.map((s) => s.state))).toEqual([["in_progress", "failure"]])
    expect(fake.deployments[0]!.statuses[1]!.log_url).toBe(runUrl)
  })

  it("an apply whose start could not be reported still gets a deployment with its final status", async () => {
    current = await setup()
    const { fake, context, started, finished } = current
    const ctx = context("apply", deployment)
    const plan = makePlan("production", true)
    fake.fault("error500")
    const notes = await started(ctx, plan)
    expect(notes).toHaveLength(1)
    expect(notes[0]).toMatch(/could not create a deployment for production: GitHub answered 500/)
    fake.fault(undefined)
    expect(await finished(ctx, { plan, summary: makeSummary(plan, true), exitCode: 0 })).toEqual([])
    expect(fake.deployments.map((d) => d.statuses.map((s) => s.state))).toEqual([["success"]])
  })

  it("without a token it says what could not be reported and sends nothing", async () => {
    current = await setup()
    const { fake, env, context, started } = current
    delete env.GITHUB_TOKEN
    const notes = await started(context("apply", deployment), makePlan("production", true))
    expect(notes).toEqual(["github: could not create a deployment for production: GITHUB_TOKEN is not set"])
    expect(fake.requests).toEqual([])
  })
})
