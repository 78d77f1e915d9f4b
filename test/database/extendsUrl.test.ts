/**
 * Issue 16, item 7: a staging manifest that extends a base using `{ fromConfigVar: DATABASE_URL }`
 * and sets `database.url: { fromEnv: DIRECT_URL }` validates (the reference is replaced, not merged
 * into a map holding both forms) and its migrations run on DIRECT_URL's database.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { expect, it } from "vitest"
import { cliFixture } from "../support/cliFixture.ts"
import { reconcile } from "../support/engine.ts"
import { databasePlugins, servicesLayer, sql } from "./support.ts"

const fx = cliFixture({ prefix: "extends-url", sim: false })

it("an override's { fromEnv: DIRECT_URL } replaces the base's { fromConfigVar } and migrations use it", async () => {
  const db = await fx.database("direct")
  const migrations = fx.scratch("direct-url-")
  mkdirSync(join(migrations, "20260101000000_init"))
  writeFileSync(join(migrations, "20260101000000_init", "migration.sql"), 'CREATE TABLE "Direct" (id int);\n')
  const base = `apiVersion: reconcile/v1\nkind: Release\nmetadata: { name: direct-base }\nspec:\n  database:\n    url: { fromConfigVar: DATABASE_URL }\n    backup: { provider: none }\n    migrations: { dir: "${migrations}", target: latest }\n`
  const staging = `apiVersion: reconcile/v1\nkind: Release\nmetadata:\n  name: direct-staging\n  extends: direct-base.yaml\nspec:\n  database:\n    url: { fromEnv: DIRECT_URL }\n`
  fx.write("direct-base", base)
  fx.write("direct-staging", staging)
  const { plan, summary } = await reconcile({
    plugins: databasePlugins,
    dir: fx.manifests,
    env: "direct-staging",
    layer: servicesLayer({ DIRECT_URL: db.url }),
    secrets: { DIRECT_URL: db.url },
  })
  expect(plan.steps.map((s) => s.address)).toEqual(["migrations/20260101000000_init"])
  expect(summary?.converged).toBe(true)
  const ledger = await sql(db.url, `SELECT migration_name FROM _prisma_migrations`)
  expect(ledger).toEqual([{ migration_name: "20260101000000_init" }])
  expect(await sql(db.url, `SELECT to_regclass('"Direct"') IS NOT NULL AS made`)).toEqual([{ made: true }])
})
