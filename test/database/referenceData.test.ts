/**
 * Reference data end to end on a real Postgres: 100,000 rows with 1% changed give exact dry-run
 * counts, the apply touches only those rows (xmin), a second apply is a no-op; promotion from
 * another environment's database; export back to files.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { describe, expect, it } from "vitest"
import { flattenMembers } from "../../engine/plan/Step.ts"
import { exportReferenceData } from "../../plugins/reference-data/export.ts"
import { reconcile } from "../support/engine.ts"
import {
  databasePlugins,
  manifestDir,
  release,
  scratchDatabases,
  scratchDir,
  servicesLayer,
  sql,
} from "./support.ts"

const database = scratchDatabases()

const schema = `CREATE TABLE categories (id int PRIMARY KEY, name text NOT NULL);
  CREATE TABLE items (id int PRIMARY KEY, category_id int NOT NULL REFERENCES categories(id), code text NOT NULL,
    price numeric(10,2), label text)`

const N = 100_000

const itemsCsv = (rows: Array<[number, number, string, string | null, string | null]>) =>
  `id,category_id,code,price,label\n${rows.map((r) => r.map((v) => (v === null ? "" : `"${v}"`)).join(",")).join("\n")}\n`

const baseRows = () =>
  Array.from(
    { length: N },
    (_, i) =>
      [i + 1, (i % 10) + 1, `C${i + 1}`, ((i % 997) + 0.5).toFixed(2), i % 7 === 0 ? null : `label ${i}`] as [
        number,
        number,
        string,
        string | null,
        string | null,
      ],
  )

const datasetDir = (rows: ReturnType<typeof baseRows>) => {
  const dir = scratchDir("reconcile-rd-")
  writeFileSync(
    join(dir, "dataset.yaml"),
    "tables: # foreign-key order\n  - { table: categories, file: categories.json, primaryKey: [id] }\n  - { table: items, file: items.csv, primaryKey: [id] }\n",
  )
  writeFileSync(
    join(dir, "categories.json"),
    JSON.stringify(Array.from({ length: 10 }, (_, i) => ({ id: i + 1, name: `cat ${i + 1}` }))),
  )
  writeFileSync(join(dir, "items.csv"), itemsCsv(rows))
  return dir
}

describe("reference data", () => {
  it("100,000 rows, 1% changed: exact dry-run counts, only changed rows written, then a no-op", async () => {
    const db = await database("rd")
    await sql(db.url, schema)
    const rows = baseRows()
    const dir = datasetDir(rows)
    const root = manifestDir({
      test: release(
        "test",
        `  policy: { allowDestroy: true }\n  database:\n    url: { fromEnv: DB_URL }\n    backup: { provider: none }\n    referenceData: { dir: "${dir}", version: v1, prune: true }\n`,
      ),
    })
    const run = (dryRun = false) =>
      reconcile({
        plugins: databasePlugins,
        dir: join(root, "manifests"),
        env: "test",
        layer: servicesLayer({ DB_URL: db.url }),
        dryRun,
      })
    const first = await run()
    expect(first.summary?.converged).toBe(true)
    expect(await sql(db.url, "SELECT count(*)::int AS n FROM items")).toEqual([{ n: N }])

    // 1%: 500 updated, 300 inserted, 200 deleted
    const changed = rows.filter((r) => r[0] > 200)
    for (let i = 1000; i < 1500; i++) changed[i]![4] = `changed ${i}`
    for (let i = 0; i < 300; i++) changed.push([N + 1 + i, 1, `NEW${i}`, "1.00", null])
    writeFileSync(join(dir, "items.csv"), itemsCsv(changed))
    writeFileSync(
      join(root, "manifests", "test.yaml"),
      readFileSync(join(root, "manifests", "test.yaml"), "utf8").replace("version: v1", "version: v2"),
    )
    const before = await sql<{ id: number; x: string }>(db.url, "SELECT id, xmin::text AS x FROM items")

    const { plan } = await run(true)
    expect(plan.steps.map((s) => s.address)).toEqual(["reference-data/dataset"])
    expect(flattenMembers(plan.steps).map((s) => s.address)).toEqual(["reference-data/items"])
    expect(flattenMembers(plan.steps)[0]?.after).toEqual({
      rows: N + 100,
      insert: 300,
      update: 500,
      delete: 200,
    })
    expect(plan.steps[0]?.destructive).toBe(true)
    expect(plan.steps[0]?.notes.join(" ")).toContain("insert 100001, 100002, 100003")

    const second = await run()
    expect(second.summary?.converged).toBe(true)
    expect(second.summary?.results[0]?.message).toContain("inserted 300, updated 500, deleted 200")
    const after = new Map(
      (await sql<{ id: number; x: string }>(db.url, "SELECT id, xmin::text AS x FROM items")).map((r) => [
        r.id,
        r.x,
      ]),
    )
    const rewritten = before.filter((r) => after.has(r.id) && after.get(r.id) !== r.x).map((r) => r.id)
    expect(rewritten).toHaveLength(500)
    expect(rewritten.every((id) => id >= 1201 && id <= 1700)).toBe(true)
    expect(await sql(db.url, "SELECT count(*)::int AS n FROM items")).toEqual([{ n: N + 100 }])
    expect(await sql(db.url, `SELECT name, version FROM _reconcile_reference_data ORDER BY name`)).toEqual([
      { name: "(dataset)", version: "v2" },
      { name: "categories", version: "v2" },
      { name: "items", version: "v2" },
    ])
    expect((await run(true)).plan.steps).toEqual([])
  }, 60_000)

  it("promotes from another environment's database (dry-run, then apply), and exports to files", async () => {
    const staging = await database("rdsrc")
    const production = await database("rddst")
    await sql(staging.url, schema)
    await sql(production.url, schema)
    await sql(
      staging.url,
      `INSERT INTO categories VALUES (1, 'one'), (2, 'two');
      INSERT INTO items VALUES (1, 1, 'A', 1.50, NULL), (2, 2, 'B', NULL, 'b "quoted", with comma'), (3, 1, 'C', 3.00, '')`,
    )
    await sql(
      production.url,
      `INSERT INTO categories VALUES (1, 'uno'); INSERT INTO items VALUES (1, 1, 'A', 9.99, NULL)`,
    )
    const dir = datasetDir([])
    const root = manifestDir({
      staging: release(
        "staging",
        `  database:\n    url: { fromEnv: STAGING_URL }\n    backup: { provider: none }\n`,
      ),
      production: release(
        "production",
        `  database:\n    url: { fromEnv: PROD_URL }\n    backup: { provider: none }\n    referenceData: { dir: "${dir}", version: s1, from: { env: staging } }\n`,
      ),
    })
    const secrets = { STAGING_URL: staging.url, PROD_URL: production.url }
    const run = (dryRun = false) =>
      reconcile({
        plugins: databasePlugins,
        dir: join(root, "manifests"),
        env: "production",
        layer: servicesLayer(secrets),
        dryRun,
      })
    const { plan } = await run(true)
    expect(flattenMembers(plan.steps).map((s) => [s.address, s.after])).toEqual([
      ["reference-data/categories", { rows: 2, insert: 1, update: 1, delete: 0 }],
      ["reference-data/items", { rows: 3, insert: 2, update: 1, delete: 0 }],
    ])
    expect((await run()).summary?.converged).toBe(true)
    const copy = "SELECT i.*, c.name FROM items i JOIN categories c ON c.id = i.category_id ORDER BY i.id"
    expect(await sql(production.url, copy)).toEqual(await sql(staging.url, copy))

    const ctx = {
      env: "production",
      spec: { database: { url: Redacted.make(production.url), referenceData: { dir, version: "s1" } } },
      manifestDir: join(root, "manifests"),
      dryRun: false,
    }
    const message = await Effect.runPromise(
      exportReferenceData(ctx).pipe(Effect.provide(servicesLayer(secrets))),
    )
    expect(message).toContain("exported 2 table(s)")
    expect(JSON.parse(readFileSync(join(dir, "categories.json"), "utf8"))).toEqual([
      { id: 1, name: "one" },
      { id: 2, name: "two" },
    ])
    expect(readFileSync(join(dir, "items.csv"), "utf8")).toBe(
      'id,category_id,code,price,label\n1,1,A,1.50,\n2,2,B,,"b ""quoted"", with comma"\n3,1,C,3.00,""\n',
    )
  })
})
