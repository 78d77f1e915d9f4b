/**
 * Gathering what the safety judgement needs for the pending migrations: Squawk's findings, the live
 * size of every table they touch, the Prisma schema the running release declares, and the release
 * strategy. The running release's schema is `schema.prisma` (beside the migrations folder, as Prisma
 * lays it out, and under the release source dir's `prisma/`) as committed at HEAD (the deployed code
 * while the migration is not committed yet), merged with the working tree's (code about to ship
 * that still declares what a migration drops breaks as well): a slug's own schema cannot be read
 * back from Heroku, and slugs are only remembered by their source checksum.
 */
import { execFile } from "node:child_process"
import { readFile } from "node:fs/promises"
import { basename, dirname, join, resolve } from "node:path"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { RunContext } from "../../engine/index.ts"
import { dbTimeoutsOf, query } from "../../services/database/connect.ts"
import { Database } from "../../services/database/Database.ts"
import type { DatabaseSpec } from "../../services/database/section.ts"
import { resolveDatabaseUrl } from "../../services/database/url.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import type { MigrationFile } from "./folder.ts"
import { type LintFinding, lintFiles } from "./lint.ts"
import { isLockRule, type Judged, judge, type Strategy, type TableFacts, targetAt } from "./safety.ts"
import { createdTables, declaredBy, mergeDeclared } from "./targets.ts"

/** Per pending migration name, its judged findings; `unavailable` when Squawk could not run. */
export interface SafetyLive {
  readonly findings: Readonly<Record<string, ReadonlyArray<Judged>>>
  readonly unavailable?: string
}

const record = (v: unknown): Readonly<Record<string, unknown>> =>
  v !== null && typeof v === "object" ? (v as Record<string, unknown>) : {}

/** The release strategy, read defensively: these keys may not be in every schema. */
export const strategyOf = (spec: Readonly<Record<string, unknown>>): Strategy => {
  const preboot = record(record(spec.app).features).preboot
  return {
    preboot: preboot === true || record(preboot).enabled === true,
    rollback: record(spec.release).onFailure === "rollback",
  }
}

const gitShow = (dir: string, path: string) =>
  Effect.async<string | undefined>((resume) => {
    const child = execFile(
      "git",
      ["-C", dir, "show", `HEAD:./${path}`],
      { timeout: 10_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => resume(Effect.succeed(error === null ? stdout : undefined)),
    )
    return Effect.sync(() => child.kill("SIGKILL"))
  })

/** The schema.prisma beside the migrations folder (Prisma's layout) and in the release source dir. */
const schemaFiles = (spec: Readonly<Record<string, unknown>>, files: ReadonlyArray<MigrationFile>) => {
  const sourceDir = record(record(spec.release).source).dir
  const beside =
    files[0] === undefined ? [] : [join(dirname(dirname(dirname(files[0].file))), "schema.prisma")]
  const source = resolve(typeof sourceDir === "string" ? sourceDir : ".", "prisma", "schema.prisma")
  return [...new Set([...beside, source])]
}

/** The tables and columns the running release's (and the shipping) Prisma schema declare. */
export const declaredSchema = (
  spec: Readonly<Record<string, unknown>>,
  files: ReadonlyArray<MigrationFile>,
) =>
  Effect.forEach(
    schemaFiles(spec, files),
    (file) =>
      Effect.all(
        [
          gitShow(dirname(file), basename(file)),
          Effect.tryPromise(() => readFile(file, "utf8")).pipe(Effect.orElseSucceed(() => undefined)),
        ],
        { concurrency: 2 },
      ),
    { concurrency: 2 },
  ).pipe(
    Effect.map((texts) =>
      mergeDeclared(...texts.flat().flatMap((s) => (s === undefined ? [] : [declaredBy(s)]))),
    ),
  )

/** Estimated rows (reltuples, or the live count when never analyzed) and total size per table. */
const tableFacts = (db: DatabaseSpec, ctx: RunContext, tables: ReadonlyArray<string>) =>
  Effect.scoped(
    Effect.gen(function* () {
      const out = new Map<string, TableFacts>()
      const url = yield* resolveDatabaseUrl(db.url, ctx.spec)
      if (tables.length === 0 || Option.isNone(url)) return out
      const c = yield* (yield* Database).connect(url.value, dbTimeoutsOf(ctx.spec))
      const r = yield* query<{ name: string; rows: number; bytes: number }>(
        c,
        `SELECT t.name, CASE WHEN c.reltuples >= 0 THEN c.reltuples ELSE coalesce(s.n_live_tup, 0) END::float8 AS rows,
                pg_total_relation_size(c.oid)::float8 AS bytes
           FROM unnest($1::text[]) AS t(name)
           JOIN pg_class c ON c.oid = to_regclass(quote_ident(t.name))
           LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid`,
        [tables],
      )
      for (const row of r.rows) out.set(row.name, { rows: Number(row.rows), bytes: Number(row.bytes) })
      return out
    }),
  ).pipe(Effect.orElseSucceed(() => new Map<string, TableFacts>()))

/** Lints and judges the pending migrations (an empty result when nothing is pending). */
export const observeSafety = (
  db: DatabaseSpec,
  ctx: RunContext,
  files: ReadonlyArray<MigrationFile>,
  pending: ReadonlyArray<string>,
  serverVersion: number,
  databasePresent: boolean,
): Effect.Effect<SafetyLive, never, HerokuApi | Database> =>
  Effect.gen(function* () {
    const todo = files.filter((f) => pending.includes(f.name))
    // Squawk and git run side by side (two child processes); the table sizes need the findings
    const [lint, declared] = yield* Effect.all(
      [
        lintFiles(
          todo.map((f) => f.file),
          serverVersion,
        ),
        declaredSchema(ctx.spec, files),
      ],
      { concurrency: 2 },
    )
    const byFile = new Map<string, Array<LintFinding>>()
    for (const f of lint.findings) byFile.set(resolve(f.file), [...(byFile.get(resolve(f.file)) ?? []), f])
    // sizes matter for lock findings only; a table a pending migration creates is empty
    const created = new Set(todo.flatMap((m) => createdTables(m.sql)))
    const tables = [
      ...new Set(
        todo.flatMap((m) =>
          (byFile.get(resolve(m.file)) ?? [])
            .filter((f) => isLockRule(f.rule))
            .flatMap((f) => targetAt(m.sql, f.line)?.table ?? [])
            .filter((t) => !created.has(t)),
        ),
      ),
    ]
    const facts = databasePresent ? yield* tableFacts(db, ctx, tables) : new Map<string, TableFacts>()
    const strategy = strategyOf(ctx.spec)
    const findings: Record<string, ReadonlyArray<Judged>> = {}
    for (const m of todo) {
      const found = byFile.get(resolve(m.file)) ?? []
      if (found.length > 0) findings[m.name] = judge(m.sql, found, facts, declared, strategy)
    }
    return lint.unavailable === undefined ? { findings } : { findings, unavailable: lint.unavailable }
  })
