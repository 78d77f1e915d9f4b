import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import { afterEach, describe, expect, it } from "vitest"
import { Plan } from "../../engine/plan/Plan.ts"
import { Step } from "../../engine/plan/Step.ts"
import { makeGithubReporter } from "../../reporters/github/reporter.ts"
import { bodiesWithCanary, canary, makePlan, makeSummary, setup } from "./helpers.ts"

type Setup = Awaited<ReturnType<typeof setup>>
let current: Setup | undefined
afterEach(async () => {
  await current?.fake.close()
  current = undefined
})

const all = ["github-pr-comment", "github-drift-issue", "github-deployment"]
const tempFile = (name: string) => join(mkdtempSync(join(tmpdir(), "reconcile-gh-")), name)

describe("github reporter", () => {
  it("sends no secret anywhere: every report of a dry-run and an apply, and the job summary", async () => {
    current = await setup()
    const { fake, env, context, started, finished } = current
    env.RECONCILE_PR_NUMBER = String(fake.addPullRequest())
    env.GITHUB_STEP_SUMMARY = tempFile("summary.md")
    const plan = makePlan("production", true)
    expect(await finished(context("dry-run", all), { plan, exitCode: 2 })).toEqual([
      "github: github-deployment is for applies, not dry-runs; no deployment was created",
    ])
    await started(context("apply", all), plan)
    await finished(context("apply", all), { plan, summary: makeSummary(plan, true), exitCode: 0 })
    expect(fake.comments).toHaveLength(1)
    expect(fake.issues.filter((i) => i.pull_request === undefined)).toHaveLength(1)
    expect(fake.deployments).toHaveLength(1)
    expect(fake.requests.some((r) => r.body.includes("(sensitive)"))).toBe(true)
    expect(bodiesWithCanary(fake)).toEqual([])
    const summary = readFileSync(env.GITHUB_STEP_SUMMARY, "utf8")
    expect(summary).toContain("### Plan: production — 2 to update")
    expect(summary).toContain("### Apply: production — converged")
    expect(summary).not.toContain(canary)
  })

  it("keeps the job summary under the limit, with a note", async () => {
    current = await setup()
    const { env, context, finished } = current
    const file = tempFile("summary.md")
    writeFileSync(file, "x".repeat(1024 * 1024 - 5_000))
    env.GITHUB_STEP_SUMMARY = file
    const plan = makePlan("production", true)
    const steps = Array.from(
      { length: 200 },
      (_, i) => new Step({ ...plan.steps[1]!, address: `config/VAR_${i}` }),
    )
    const huge = new Plan({ ...plan, steps })
    const notes = await finished(context("dry-run", []), { plan: huge, exitCode: 0 })
    expect(notes).toEqual(["github: the job summary was truncated to fit GitHub's 1 MiB limit"])
    const text = readFileSync(file, "utf8")
    expect(Buffer.byteLength(text)).toBeLessThan(1024 * 1024)
    expect(text).toContain("Truncated")
  })

  it("a GitHub answering 500s or hanging: notes within a bounded time, never a failure", async () => {
    for (const fault of ["error500", "hang"] as const) {
      current = await setup({ requestTimeoutMs: 300, deadlineMs: 1_500 })
      const { fake, env, context, started, finished } = current
      env.RECONCILE_PR_NUMBER = "1"
      fake.fault(fault)
      const plan = makePlan("production", true)
      // a hanging GitHub never answers: these calls ending at all, with notes, is the bound at work
      const startNotes = await started(context("apply", all), plan)
      const notes = await finished(context("apply", all), {
        plan,
        summary: makeSummary(plan, true),
        exitCode: 0,
      })
      const dryNotes = await finished(context("dry-run", all), { plan, exitCode: 2 })
      expect(startNotes).toHaveLength(1)
      expect(notes.join("\n")).toMatch(/could not set the production deployment's status to success/)
      expect(dryNotes.join("\n")).toMatch(/could not update the production plan comment on pull request #1/)
      expect(dryNotes.join("\n")).toMatch(/could not update the production drift issue/)
      expect(fake.requests.length).toBeGreaterThan(3) // retried
      expect([...startNotes, ...notes, ...dryNotes].join("\n")).not.toContain(fake.token)
      await fake.close()
      current = undefined
    }
  })

  it("the overall deadline bounds a report even when single requests may take long", async () => {
    current = await setup({ requestTimeoutMs: 60_000, deadlineMs: 400 })
    const { fake, context, started } = current
    fake.fault("hang")
    // one request may take a minute: the note naming the 400 ms deadline shows which bound ended it
    const notes = await started(context("apply", all), makePlan("production", true))
    expect(notes).toEqual(["github: could not create a deployment for production: no answer within 400ms"])
  })

  it("emits escaped ::error annotations for manifest problems inside Actions only", async () => {
    current = await setup()
    const { env } = current
    env.GITHUB_WORKSPACE = "/home/runner/work/app"
    const problems = [
      {
        file: "/home/runner/work/app/manifests/a,b:c.yaml",
        line: 3,
        col: 5,
        path: "spec.app.name",
        message: "100% wrong\nsecond line",
      },
    ]
    const lines: Array<string> = []
    const reporter = makeGithubReporter({
      env: () => env,
      command: (line) => Effect.sync(() => lines.push(line)),
    })
    const capture = (effect: Effect.Effect<ReadonlyArray<string>>) => Effect.runPromise(effect)
    expect(await capture(reporter.manifestProblems!(problems))).toEqual([])
    expect(lines).toEqual([
      "::error file=manifests/a%2Cb%3Ac.yaml,line=3,col=5,title=reconcile manifest::spec.app.name: 100%25 wrong%0Asecond line",
    ])
    env.GITHUB_ACTIONS = "false"
    await capture(reporter.manifestProblems!(problems))
    expect(lines).toHaveLength(1)
  })
})
