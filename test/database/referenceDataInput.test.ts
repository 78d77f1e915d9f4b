/**
 * Reference data inputs that once went wrong on a real Postgres: a CSV line `\.` (COPY's end-of-data
 * marker) silently ended the data; mixed-case table names (Prisma's `model ServiceType`) were never
 * found, so every run planned them again.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { flattenMembers } from "../../engine/plan/Step.ts"
import { reconcile } from "../support/engine.ts"
import { databasePlugins, release, scratchDatabases, servicesLayer, sql } from "./support.ts"

const database = scratchDatabases()

/** A repository folder: `manifests/test.yaml` loading the dataset in `data/` (files given). */
const repo = (files: Record<string, string>, prune = false) => {
  const root = mkdtempSync(join(tmpdir(), "reconcile-rdin-"))
  mkdirSync(join(root, "manifests"))
  mkdirSync(join(root, "data"))
  for (const [name, body] of Object.entries(files)) writeFileSync(join(root, "data", name), body)
  writeFileSync(
    join(root, "manifests", "test.yaml"),
    release(
      "test",
      `  policy: { allowDestroy: true }\n  database:\n    url: { fromEnv: DB_URL }\n    backup: { provider: none }\n    referenceData: { dir: "${join(root, "data")}", version: v1, prune: ${prune} }\n`,
    ),
  )
  return root
}

const runner = (root: string, url: string) => (dryRun: boolean) =>
  reconcile({
    plugins: databasePlugins,
    dir: join(root, "manifests"),
    env: "test",
    layer: servicesLayer({ DB_URL: url }),
    dryRun,
  })

describe("reference data inputs", () => {
  it("a CSV line `\\.` and `\\.` values never end the data early: every row arrives, counts are right", async () => {
    const db = await database("rdterm")
    await sql(db.url, "CREATE TABLE notes (id int PRIMARY KEY, body text)")
    await sql(db.url, "CREATE TABLE codes (code text PRIMARY KEY)")
    await sql(db.url, "CREATE TABLE tags (id int PRIMARY KEY, label text)")
    const root = repo(
      {
        "dataset.yaml":
          "tables:\n  - { table: notes, file: notes.csv, primaryKey: [id] }\n  - { table: codes, file: codes.csv, primaryKey: [code] }\n  - { table: tags, file: tags.json, primaryKey: [id] }\n",
        "notes.csv": 'id,body\n1,first\n2,\\.\n3,"\\."\n4,"multi\n\\.\nline"\n5,last\n',
        "codes.csv": "code\na\n\\.\nb\n",
        "tags.json": JSON.stringify([
          { id: 1, label: "\\." },
          { id: 2, label: "a\n\\.\nb" },
          { id: 3, label: "after" },
        ]),
      },
      true,
    )
    const run = runner(root, db.url)
    const { plan } = await run(true)
    expect(flattenMembers(plan.steps).map((s) => [s.address, s.after])).toEqual([
      ["reference-data/codes", { rows: 3, insert: 3, update: 0, delete: 0 }],
      ["reference-data/notes", { rows: 5, insert: 5, update: 0, delete: 0 }],
      ["reference-data/tags", { rows: 3, insert: 3, update: 0, delete: 0 }],
    ])
    const applied = await run(false)
    expect(applied.summary?.converged, JSON.stringify(applied.summary?.results)).toBe(true)
    expect(await sql(db.url, "SELECT id, body FROM notes ORDER BY id")).toEqual([
      { id: 1, body: "first" },
      { id: 2, body: "\\." },
      { id: 3, body: "\\." },
      { id: 4, body: "multi\n\\.\nline" },
      { id: 5, body: "last" },
    ])
    expect(await sql(db.url, 'SELECT code FROM codes ORDER BY code COLLATE "C"')).toEqual([
      { code: "\\." },
      { code: "a" },
      { code: "b" },
    ])
    expect(await sql(db.url, "SELECT label FROM tags ORDER BY id")).toEqual([
      { label: "\\." },
      { label: "a\n\\.\nb" },
      { label: "after" },
    ])
    expect((await run(true)).plan.steps).toEqual([])
  }, 30_000)

  it("mixed-case, schema-qualified and quoted table names converge; a second run is a no-op", async () => {
    const db = await database("rdcase")
    await sql(
      db.url,
      `CREATE TABLE "ServiceType" ("id" int PRIMARY KEY, "displayName" text);
       CREATE SCHEMA "Catalog"; CREATE TABLE "Catalog"."Price.List" ("Id" int PRIMARY KEY, "Amount" numeric)`,
    )
    const root = repo({
      "dataset.yaml":
        'tables:\n  - { table: ServiceType, file: types.csv, primaryKey: [id] }\n  - { table: \'"Catalog"."Price.List"\', file: prices.json, primaryKey: [Id] }\n',
      "types.csv": "id,displayName\n1,Manicure\n2,Pedicure\n",
      "prices.json": JSON.stringify([
        { Id: 1, Amount: "10.50" },
        { Id: 2, Amount: "20.00" },
      ]),
    })
    const run = runner(root, db.url)
    const { plan } = await run(true)
    expect(flattenMembers(plan.steps).map((s) => [s.address, s.before, s.after])).toEqual([
      ['reference-data/"Catalog"."Price.List"', { rows: 0 }, { rows: 2, insert: 2, update: 0, delete: 0 }],
      ["reference-data/ServiceType", { rows: 0 }, { rows: 2, insert: 2, update: 0, delete: 0 }],
    ])
    expect(plan.steps.every((s) => !s.reason.includes("does not exist"))).toBe(true)
    const applied = await run(false)
    expect(applied.summary?.converged, JSON.stringify(applied.summary?.results)).toBe(true)
    expect(await sql(db.url, `SELECT "displayName" FROM "ServiceType" ORDER BY id`)).toEqual([
      { displayName: "Manicure" },
      { displayName: "Pedicure" },
    ])
    expect(await sql(db.url, `SELECT count(*)::int AS n FROM "Catalog"."Price.List"`)).toEqual([{ n: 2 }])
    expect((await run(true)).plan.steps).toEqual([])
    const again = await run(false)
    expect(again.summary?.converged).toBe(true)
    expect(again.plan.steps).toEqual([])
  }, 30_000)
})
