/**
 * The Action's shell steps run for real with bash, as the runner would (GITHUB_ENV, GITHUB_OUTPUT,
 * RUNNER_TEMP files; inputs as the env the Action maps them to), against the test build of the CLI
 * and the local stand-in plugin: the modes, the exit code and the plan JSON outputs.
 */
import { spawnSync } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { afterAll, describe, expect, inject, it } from "vitest"
import { parse } from "yaml"

interface Step {
  readonly id?: string
  readonly run?: string
}
const action = parse(readFileSync(resolve(import.meta.dirname, "../../action.yml"), "utf8")) as {
  readonly runs: { readonly steps: ReadonlyArray<Step> }
}
const script = (id: string) => action.runs.steps.find((s) => s.id === id)?.run ?? ""

const root = mkdtempSync(join(tmpdir(), "reconcile-action-"))
afterAll(() => rmSync(root, { recursive: true, force: true }))

// the packaged layout: <action path>/dist/reconcile.mjs (a link to the test build, so it resolves)
const actionPath = join(root, "action")
mkdirSync(join(actionPath, "dist"), { recursive: true })
symlinkSync(resolve(inject("cliBundle")), join(actionPath, "dist", "reconcile.mjs"))
const workspace = join(root, "app")
mkdirSync(join(workspace, "deploy"), { recursive: true })
writeFileSync(
  join(workspace, "deploy", "dev.yaml"),
  "apiVersion: reconcile/v1\nkind: Release\nmetadata: { name: dev }\nspec:\n  fake: { values: { GREETING: hello } }\n",
)

/** Runs one step's script; returns its outputs and the env it exported. */
const step = (id: string, env: Record<string, string>) => {
  const files = { GITHUB_OUTPUT: join(root, `${id}.out`), GITHUB_ENV: join(root, `${id}.env`) }
  for (const f of Object.values(files)) writeFileSync(f, "")
  const r = spawnSync("bash", ["-c", script(id)], {
    cwd: workspace,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: root,
      RUNNER_TEMP: join(root, "tmp"),
      NO_COLOR: "1",
      ...files,
      ...env,
    },
    encoding: "utf8",
    timeout: 60_000,
  })
  const pairs = (f: string) =>
    Object.fromEntries(
      readFileSync(f, "utf8")
        .split("\n")
        .filter((l) => l.includes("="))
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    )
  return {
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    outputs: pairs(files.GITHUB_OUTPUT),
    env: pairs(files.GITHUB_ENV),
  }
}

describe("the Action's steps", () => {
  const installed = step("install", { ACTION_PATH: actionPath, MANIFESTS: "deploy" })
  const cli = installed.env.RECONCILE_CLI ?? ""
  const run = (mode: string) =>
    step("run", {
      RECONCILE_CLI: cli,
      RECONCILE_ENV: "dev",
      RECONCILE_MODE: mode,
      RECONCILE_REPORTS: "",
      MANIFESTS: "deploy",
    })

  it("install finds the packaged CLI and lists the environments", () => {
    expect(installed.code, installed.stderr).toBe(0)
    expect(cli).toBe(join(actionPath, "dist", "reconcile.mjs"))
    expect(installed.outputs.environments).toBe('["dev"]')
  })

  it("plan: a dry-run whose plan JSON path is an output; exit code 0", () => {
    const r = run("plan")
    expect(r.code, r.stderr).toBe(0)
    expect(r.outputs["exit-code"]).toBe("0")
    const plan = JSON.parse(readFileSync(r.outputs["plan-json"] ?? "", "utf8")) as {
      plan: { steps: unknown[] }
    }
    expect(plan.plan.steps.length).toBe(1)
    expect(existsSync(join(workspace, ".reconcile/fake/dev.json"))).toBe(false)
  })

  it("drift: pending changes are exit code 2 and a warning, not a failed step", () => {
    const r = run("drift")
    expect(r.code, r.stderr).toBe(0)
    expect(r.outputs["exit-code"]).toBe("2")
    expect(r.stdout).toContain("::warning title=Drift in dev::")
  })

  it("apply: converges, writes the summary JSON; a drift check after it is in sync", () => {
    const r = run("apply")
    expect(r.code, r.stderr).toBe(0)
    expect(r.outputs["exit-code"]).toBe("0")
    expect(JSON.parse(readFileSync(r.outputs["plan-json"] ?? "", "utf8"))).toMatchObject({ plan: {} })
    expect(JSON.parse(readFileSync(join(workspace, ".reconcile/fake/dev.json"), "utf8"))).toEqual({
      GREETING: "hello",
    })
    expect(run("drift").outputs["exit-code"]).toBe("0")
  })

  it("a failing run fails the step with its exit code; an unknown mode is refused", () => {
    writeFileSync(join(workspace, "deploy", "dev.yaml"), "apiVersion: reconcile/v1\nkind: Nope\n")
    const bad = run("plan")
    expect(bad.code).toBe(1)
    expect(bad.outputs["exit-code"]).toBe("1")
    const odd = run("destroy")
    expect(odd.code).toBe(1)
    expect(odd.stdout).toContain("mode must be plan, apply or drift")
  })
})
