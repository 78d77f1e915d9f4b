/**
 * Issue 16, item 8, through the bundled CLI against the real simulator and Postgres: a var set by
 * hand is reported as unmanaged by key (its value never printed) without counting as drift; with
 * `config.prune: true` it is planned as a destructive delete (refused without --allow-destroy); and
 * a backup with `always: true` is not drift (a dry-run --detailed-exitcode of a converged
 * environment exits 0), while an apply still takes it.
 */
import { expect, test } from "vitest"
import { cliFixture } from "../support/cliFixture.ts"

const canary = "canary-drift-hand-set-5d1e"
const app = `drift-${process.pid}-${Date.now().toString(36)}`
const fx = cliFixture({ prefix: "drift" })

const manifest = (prune: boolean) => `apiVersion: reconcile/v1
kind: Release
metadata: { name: drift }
spec:
  app: { name: ${app} }
  addons:
    - { plan: "heroku-postgresql:essential-0", as: DATABASE }
  config:
    vars: { NODE_ENV: production }
    required: [DATABASE_URL]
    prune: ${prune}
  database:
    url: { fromConfigVar: DATABASE_URL }
    backup: { provider: heroku, always: true }
`

const cli = (args: ReadonlyArray<string>) => fx.cli([...args, "--env", "drift"])

test("unmanaged vars are reported by key, pruned as destructive deletes; backup.always is not drift", async () => {
  fx.write("drift", manifest(false))
  const applied = await cli([])
  expect(applied.code, `${applied.stdout}\n${applied.stderr}`).toBe(0)
  expect(applied.stdout).toContain("backup/heroku")

  // converged with always: true: the backup is an action, not drift
  const inSync = await cli(["--dry-run", "--detailed-exitcode"])
  expect(inSync.code, inSync.stdout).toBe(0)
  expect(inSync.stdout).toContain("No changes.")

  const set = await fx.api.call("PATCH", `/apps/${app}/config-vars`, {
    body: { HAND_SET: canary },
  })
  expect(set.status).toBe(200)
  const reported = await cli(["--dry-run", "--detailed-exitcode", "--output", "json"])
  expect(reported.code, reported.stdout).toBe(0)
  const warnings = (JSON.parse(reported.stdout) as { warnings: ReadonlyArray<string> }).warnings
  expect(warnings.filter((w) => /not in the manifest: HAND_SET;/.test(w))).toHaveLength(1)

  fx.write("drift", manifest(true))
  const pruned = await cli(["--dry-run", "--detailed-exitcode", "--output", "json"])
  expect(pruned.code, pruned.stdout).toBe(2)
  const plan = JSON.parse(pruned.stdout) as {
    steps: ReadonlyArray<{ address: string; destructive: boolean; members?: ReadonlyArray<unknown> }>
  }
  const vars = plan.steps.find((s) => s.address === "config/vars")
  expect(vars?.destructive).toBe(true)
  expect(vars?.members).toEqual([
    expect.objectContaining({ address: "config/HAND_SET", action: "delete", destructive: true }),
  ])
  const refused = await cli([])
  expect(refused.code).toBe(1)
  const live = await fx.api.call("GET", `/apps/${app}/config-vars`)
  expect((live.body as Record<string, string>).HAND_SET).toBe(canary)

  for (const out of [applied, inSync, reported, pruned, refused])
    expect(`${out.stdout}${out.stderr}`).not.toContain(canary)
}, 120_000)
