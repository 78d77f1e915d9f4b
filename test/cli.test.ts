/**
 * The bundled CLI end to end, as child processes against the stand-in plugin: exit codes, manifest
 * errors, saved plans, the destructive guard, and that a secret never reaches any output.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { beforeEach, describe, expect, it } from "vitest"
import pkg from "../package.json" with { type: "json" }
import { allOutput, runCli, runCliAsync } from "./support/cli.ts"

const canary = "canary-7f3a9c1e-never-print-me"
let dir = ""

const manifest = (env: string, body: string) => writeFileSync(join(dir, "manifests", `${env}.yaml`), body)
const store = () =>
  JSON.parse(readFileSync(join(dir, ".reconcile/fake/staging.json"), "utf8")) as Record<string, string>
const cli = (...args: Array<string>) => runCli(args, { cwd: dir, env: { API_TOKEN: canary } })

const staging = (values: string, extra = "") => `apiVersion: reconcile/v1
kind: Release
metadata:
  name: staging
spec:
  fake:
    values:
${values}
${extra}`

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "reconcile-cli-"))
  mkdirSync(join(dir, "manifests"))
  manifest("staging", staging("      GREETING: hello\n      API_TOKEN: { fromEnv: API_TOKEN }"))
})

describe("reconcile CLI", () => {
  it("prints its version and a help that teaches the exit codes", () => {
    const version = cli("--version")
    expect(version.code).toBe(0)
    expect(version.stdout.trim()).toBe(pkg.version)
    const help = cli("--help")
    expect(help.code).toBe(0)
    expect(help.stdout).toContain("--dry-run")
    expect(help.stdout).toContain("4 stale saved plan")
  })

  it("names every flag's value in the help's usage lines (NAME, FILE, DIR), not its type", () => {
    const help = cli("--help")
    expect(help.code).toBe(0)
    const usages = help.stdout.split("\n").filter((l) => /^\$ reconcile |^ {2}- [a-z]/.test(l))
    expect(usages.length).toBeGreaterThan(10)
    const typed = usages.flatMap((l) =>
      [...l.matchAll(/--[a-z-]+ (text|integer|directory|file)\b(?! \|)/g)].map((m) => m[0]),
    )
    expect(typed).toEqual([])
    expect(help.stdout).toContain("[--out FILE] [--allow-destroy] [--report KINDS]")
    expect(help.stdout).toContain("[--applied NAME] [--rolled-back NAME]")
    expect(help.stdout).toContain("--backup ID")
  })

  it("the repository's own manifests validate", () => {
    const run = runCli(["validate"], { env: { JWT_SECRET: canary } })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain("manifests/production.yaml: valid")
    expect(run.stdout).toContain("manifests/base.yaml: valid")
  })

  it("lists environments for CI matrices: no bases, no local simulator environments unless --all", () => {
    manifest("base", "apiVersion: reconcile/v1\nkind: Release\nmetadata: { name: base }\nspec: {}\n")
    manifest(
      "production",
      "apiVersion: reconcile/v1\nkind: Release\nmetadata: { name: production, extends: base.yaml }\n",
    )
    manifest(
      "local",
      "apiVersion: reconcile/v1\nkind: Release\nmetadata: { name: local, extends: base.yaml }\nspec: { simulator: {} }\n",
    )
    expect(JSON.parse(cli("envs", "--json").stdout)).toEqual(["production", "staging"])
    expect(JSON.parse(cli("envs", "--json", "--all").stdout)).toEqual(["local", "production", "staging"])
  })

  it("migrations resolve without --applied or --rolled-back says so before starting anything (exit 1)", () => {
    manifest(
      "resolvecheck",
      "apiVersion: reconcile/v1\nkind: Release\nmetadata: { name: resolvecheck }\nspec:\n  database:\n    url: { fromEnv: RESOLVECHECK_DB_URL }\n    backup: { provider: none }\n    migrations: { dir: migrations, target: latest }\n",
    )
    const run = runCli(["migrations", "resolve", "--env", "resolvecheck"], {
      cwd: dir,
      env: { RESOLVECHECK_DB_URL: "postgres://nobody@127.0.0.1:9/none" },
    })
    expect(run.stderr.trim()).toBe("error: give exactly one of --applied NAME or --rolled-back NAME")
    expect(run.code).toBe(1)
  })

  it("a command run without --env says what --env is and lists the environments, in one line (exit 1)", async () => {
    manifest("base", "apiVersion: reconcile/v1\nkind: Release\nmetadata: { name: base }\nspec: {}\n")
    manifest(
      "production",
      "apiVersion: reconcile/v1\nkind: Release\nmetadata: { name: production, extends: base.yaml }\n",
    )
    const cases = [
      ["reconcile", "--dry-run"],
      ["reconcile rollback", "rollback", "--to", "v3"],
      ["reconcile history", "history"],
      ["reconcile migrations resolve", "migrations", "resolve", "--applied", "m1"],
      ["reconcile reference-data export", "reference-data", "export"],
      ["reconcile backup verify", "backup", "verify", "--backup", "b001"],
    ] as const
    const asyncCli = (...args: Array<string>) => runCliAsync(args, { cwd: dir })
    const [runs, elsewhere, create, help] = await Promise.all([
      Promise.all(cases.map(([, ...args]) => asyncCli(...args))),
      asyncCli("backup", "list", "--manifests", "nowhere"),
      asyncCli("import", "--app", "my-app"),
      asyncCli("rollback", "--help"),
    ])
    cases.forEach(([name], i) => {
      expect(runs[i]?.code, name).toBe(1)
      expect(runs[i]?.stderr, name).toBe(
        `error: ${name} needs --env NAME, the environment (read from manifests/NAME.yaml): one of production, staging\n`,
      )
    })
    expect(elsewhere.code).toBe(1)
    expect(elsewhere.stderr.trim()).toBe(
      "error: reconcile backup list needs --env NAME, the environment (read from nowhere/NAME.yaml); manifests folder nowhere does not exist (use --manifests DIR)",
    )
    expect(create.code).toBe(1)
    expect(create.stderr.trim()).toBe(
      "error: reconcile import needs --env NAME, the environment to write (manifests/NAME.yaml)",
    )
    expect(help.code).toBe(0)
    expect(help.stdout).toContain("--to")
  })

  it("dry-run, detailed exit codes, apply, then a second run with nothing to do", () => {
    const preview = cli("--env", "staging", "--dry-run", "--detailed-exitcode")
    expect(preview.code).toBe(2)
    expect(preview.stdout).toContain('+ fake/GREETING: "hello"')
    expect(preview.stdout).toMatch(/\+ fake\/API_TOKEN: \(sensitive\) #[0-9a-f]{12}/)
    expect(existsSync(join(dir, ".reconcile"))).toBe(false)

    const apply = cli("--env", "staging")
    expect(apply.code).toBe(0)
    expect(apply.stdout).toContain("Converged.")
    expect(store()).toEqual({ GREETING: "hello", API_TOKEN: canary })

    const again = cli("--env", "staging", "--dry-run", "--detailed-exitcode")
    expect(again.code).toBe(0)
    expect(again.stdout).toContain("No changes.")
  })

  it("reports every manifest problem once, with file:line:col, and touches nothing", () => {
    manifest("staging", staging("      GREETING: hello", "    valuez: {}\n  polcy: {}\n"))
    const run = cli("--env", "staging", "--dry-run")
    expect(run.code).toBe(1)
    expect(run.stdout).toBe("")
    const lines = run.stderr.trim().split("\n")
    expect(lines).toEqual([
      'manifests/staging.yaml:9:5: spec.fake.valuez: unknown key "valuez" (did you mean "values"?)',
      'manifests/staging.yaml:10:3: spec.polcy: unknown section "polcy" (did you mean "policy"?)',
      "2 problem(s) in the manifest; nothing was observed or applied.",
    ])
    expect(existsSync(join(dir, ".reconcile"))).toBe(false)
  })

  it("names a missing secret variable and exits 1", () => {
    const run = runCli(["--env", "staging", "--dry-run"], { cwd: dir, env: { API_TOKEN: undefined } })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain("spec.fake.values.API_TOKEN: environment variable API_TOKEN is not set")
  })

  it("refuses a stale saved plan with exit 4 and applies a fresh one", () => {
    const saved = cli("--env", "staging", "--out", "plan.json")
    expect(saved.code).toBe(0)
    expect(saved.stderr).toContain("reconcile apply plan.json")
    expect(existsSync(join(dir, ".reconcile"))).toBe(false)

    // live state moves on before the plan is applied
    mkdirSync(join(dir, ".reconcile/fake"), { recursive: true })
    writeFileSync(join(dir, ".reconcile/fake/staging.json"), JSON.stringify({ GREETING: "out of band" }))
    const stale = cli("apply", "plan.json")
    expect(stale.code).toBe(4)
    expect(stale.stderr).toContain("stale plan")
    expect(store()).toEqual({ GREETING: "out of band" })

    expect(cli("--env", "staging", "--out", "plan.json").code).toBe(0)
    const fresh = cli("apply", "plan.json")
    expect(fresh.code).toBe(0)
    expect(store()).toEqual({ GREETING: "hello", API_TOKEN: canary })

    // the manifest changing also makes a plan stale
    expect(cli("--env", "staging", "--out", "plan.json").code).toBe(0)
    manifest("staging", staging("      GREETING: changed\n      API_TOKEN: { fromEnv: API_TOKEN }"))
    const changed = cli("apply", "plan.json")
    expect(changed.code).toBe(4)
    expect(changed.stderr).toContain("manifest")
  })

  it("refuses destructive steps unless --allow-destroy", () => {
    expect(cli("--env", "staging").code).toBe(0)
    manifest("staging", staging("      GREETING: hello", "    prune: true\n"))
    const refused = cli("--env", "staging")
    expect(refused.code).toBe(1)
    expect(refused.stdout).toContain("--allow-destroy")
    expect(Object.keys(store()).sort()).toEqual(["API_TOKEN", "GREETING"])
    const allowed = cli("--env", "staging", "--allow-destroy")
    expect(allowed.code).toBe(0)
    expect(store()).toEqual({ GREETING: "hello" })
  })

  it("writes versioned JSON and markdown on stdout only", () => {
    const json = cli("--env", "staging", "--dry-run", "--output", "json")
    expect(json.code).toBe(0)
    const plan = JSON.parse(json.stdout) as { formatVersion: number; kind: string; steps: Array<unknown> }
    expect(plan).toMatchObject({ kind: "plan", formatVersion: 2 })
    expect(plan.steps).toHaveLength(2)
    const md = cli("--env", "staging", "--output", "markdown")
    expect(md.code).toBe(0)
    expect(md.stdout).toContain("| Status |")
    const applied = JSON.parse(cli("--env", "staging", "--dry-run", "-o", "json").stdout) as {
      steps: Array<unknown>
    }
    expect(applied.steps).toHaveLength(0)
  })

  it("rejects an unknown flag with one message and exit 1", () => {
    const run = cli("--env", "staging", "--dry-rn")
    expect(run.code).toBe(1)
    expect(run.stderr.trim()).toBe(
      "error: unknown option --dry-rn (did you mean --dry-run?); see reconcile --help",
    )
    expect(run.stderr).not.toMatch(/\n\s+at /)
  })

  it("names a mistyped command with the closest one, in one line and exit 1 like other usage errors", () => {
    const run = cli("valdate", "--env", "staging")
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(
      'error: unknown command "valdate": did you mean "validate"? (reconcile --help lists the commands)\n',
    )
    expect(run.stdout).toBe("")
  })

  it("history and backup list name the --output words they take before anything starts", () => {
    for (const command of [["history"], ["backup", "list"]]) {
      const run = cli(...command, "--env", "staging", "--output", "markdown")
      expect(run.code).toBe(1)
      expect(run.stderr).toBe(
        `error: --output markdown: expected text, json for reconcile ${command.join(" ")}\n`,
      )
      expect(run.stdout).toBe("")
    }
  })

  it("a saved plan that is not there is one line in the product's voice, exit 1", () => {
    const run = cli("apply", "missing-plan.json")
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(
      "error: no saved plan missing-plan.json: save one with `reconcile --env NAME --out missing-plan.json`\n",
    )
    expect(run.stdout).toBe("")
  })

  it("never prints the canary secret, in any format or command above", () => {
    cli("--env", "staging", "--dry-run", "-o", "markdown")
    cli("--env", "staging", "-o", "json")
    expect(allOutput.length).toBeGreaterThan(10)
    for (const out of allOutput) expect(out).not.toContain(canary)
  })
})
