/**
 * The `migrations` plugin (wave `migrations`): Prisma's folder format and `_prisma_migrations`
 * ledger, applied with the script and its ledger row in one transaction, checksums verified.
 */
import { definePlugin } from "../../engine/index.ts"
import { applyMigration } from "./apply.ts"
import { diffMigrations, type MigrationChange, migrationsWarnings } from "./diff.ts"
import { migrationsHealth } from "./health.ts"
import { type MigrationsLive, observeMigrations } from "./observe.ts"
import { type DatabaseSpec, databaseSection } from "./spec.ts"
import { migrationsProblems } from "./validate.ts"

export const migrationsPlugin = definePlugin({
  name: "migrations",
  section: databaseSection,
  wave: "migrations",
  // one at a time, oldest first, stopping at the first failure: the executor's job
  ordered: true,
  observe: (desired: DatabaseSpec, ctx) => observeMigrations(desired, ctx),
  diff: (desired: DatabaseSpec, live: MigrationsLive, ctx) => diffMigrations(desired, live, ctx.env),
  apply: (change: MigrationChange, ctx) => applyMigration(change.name, ctx),
  validate: migrationsProblems,
  warnings: (_desired: DatabaseSpec, live: MigrationsLive) => migrationsWarnings(live),
  health: (_desired: DatabaseSpec, live: MigrationsLive) => migrationsHealth(live),
})
