/**
 * Reference-data apply (100,000 rows, 1% changed) against two baselines on the same server:
 * a raw `COPY` of the same 100,000 rows into an empty table (target: within 2×), and a row-by-row
 * upsert (target: ≥ 20× faster), measured on a 5,000-row sample and extrapolated to 100,000.
 * Run: `npx tsx bench/reference-data.ts` (uses DATABASE_URL, else starts an embedded Postgres).
 */
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Readable } from "node:stream"
import { pipeline } from "node:stream/promises"
import * as Effect from "effect/Effect"
import pg from "pg"
import { from as copyFrom } from "pg-copy-streams"
import { csvOf, readDataset } from "../plugins/reference-data/dataset.ts"
import { fileSource } from "../plugins/reference-data/source.ts"
import { applyDataset } from "../plugins/reference-data/sync.ts"
import { median, printResult, run, startServer, time } from "./support.ts"

const N = 100_000
const SAMPLE = 5_000
const table = "id int PRIMARY KEY, code text NOT NULL, price numeric(10,2), label text"
type Row = [string, string, string, string | null]
const rows: Array<Row> = Array.from({ length: N }, (_, i) => [
  String(i + 1),
  `C${i + 1}`,
  ((i % 997) + 0.5).toFixed(2),
  `label ${i}`,
])

const dir = mkdtempSync(join(tmpdir(), "reconcile-bench-rd-"))
writeFileSync(join(dir, "dataset.yaml"), "tables:\n  - { table: items, file: items.csv, primaryKey: [id] }\n")
const writeCsv = (data: ReadonlyArray<Row>) =>
  writeFileSync(join(dir, "items.csv"), `id,code,price,label\n${csvOf(data)}`)

const applyOnce = (c: pg.Client) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const dataset = yield* readDataset(dir, dir)
      const sources = yield* Effect.forEach(dataset.tables, (t) => fileSource(dir, dir, t))
      return yield* applyDataset(c, sources, { prune: true, version: "bench", env: "bench" })
    }),
  )

const server = await startServer()
try {
  const url = await server.database()
  await run(url, `CREATE TABLE items (${table}); CREATE TABLE raw_items (${table})`)
  const c = new pg.Client({ connectionString: url })
  c.on("error", () => {})
  await c.connect()
  writeCsv(rows)
  await applyOnce(c)
  const applyTimes: Array<number> = []
  const copyTimes: Array<number> = []
  for (let round = 0; round < 3; round++) {
    const changed = rows.map((r, i): Row => (i % 100 === round ? [r[0], r[1], r[2], `changed ${round}`] : r))
    writeCsv(changed)
    applyTimes.push(await time(() => applyOnce(c)))
    await c.query("TRUNCATE raw_items")
    const csv = csvOf(rows)
    copyTimes.push(
      await time(() =>
        pipeline(
          Readable.from([Buffer.from(csv)]),
          c.query(copyFrom("COPY raw_items FROM STDIN WITH (FORMAT csv)")),
        ),
      ),
    )
  }
  const sample = rows.slice(0, SAMPLE)
  const rowByRow = await time(async () => {
    for (const r of sample) {
      await c.query(
        `INSERT INTO items (id, code, price, label) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET code = EXCLUDED.code, price = EXCLUDED.price, label = EXCLUDED.label`,
        [r[0], r[1], r[2], `row by row ${r[0]}`],
      )
    }
  })
  await c.end()
  const apply = median(applyTimes)
  const copy = median(copyTimes)
  const perRow = (rowByRow * N) / SAMPLE
  printResult({
    name: "Reference data",
    lines: [
      `reference-data apply, ${N} rows with 1% changed (median of 3): ${apply.toFixed(0)} ms`,
      `raw COPY of the same ${N} rows into an empty table (the floor, median of 3): ${copy.toFixed(0)} ms`,
      `row-by-row upsert: ${rowByRow.toFixed(0)} ms for a ${SAMPLE}-row sample, extrapolated to ${N} rows: ${perRow.toFixed(0)} ms`,
      `ratio apply / raw COPY: ${(apply / copy).toFixed(2)}×; ratio row-by-row / apply: ${(perRow / apply).toFixed(1)}× faster`,
    ],
    targets: [
      { target: "within 2× raw COPY", figure: `${(apply / copy).toFixed(2)}×`, met: apply / copy <= 2 },
      {
        target: "≥ 20× faster than row-by-row",
        figure: `${(perRow / apply).toFixed(1)}×`,
        met: perRow / apply >= 20,
      },
    ],
  })
} catch (e) {
  console.error(e)
  process.exitCode = 1
} finally {
  await server.close()
}
