/**
 * Reference-data apply (100,000 rows, 1% changed) against two baselines on the same server:
 * a raw `COPY` of the same 100,000 rows into an empty table, interleaved (target: median within 2×), and a row-by-row
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
import { describe, elapsed, interleave } from "./interleave.ts"
import { printResult, run, startServer, time } from "./support.ts"

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
  const csv = csvOf(rows)
  // the file's lines, so that writing a variant makes little garbage for the timed apply to collect
  const lines = rows.map((r) => r.join(","))
  // subject: an apply of the dataset with a different 1% of rows changed each time; baseline: a raw
  // COPY of the same rows into an empty table. Writing the file and emptying the table are untimed.
  const r = await interleave({
    pairs: 7,
    subject: async (i) => {
      const k = (i + 10) % 100
      const text = lines.map((l, j) => (j % 100 === k ? `${l.slice(0, l.lastIndexOf(","))},changed ${k}` : l))
      writeFileSync(join(dir, "items.csv"), `id,code,price,label\n${text.join("\n")}\n`)
      const t0 = performance.now()
      await applyOnce(c)
      return elapsed(performance.now() - t0)
    },
    baseline: async () => {
      await c.query("TRUNCATE raw_items")
      const t0 = performance.now()
      await pipeline(
        Readable.from([Buffer.from(csv)]),
        c.query(copyFrom("COPY raw_items FROM STDIN WITH (FORMAT csv)")),
      )
      return elapsed(performance.now() - t0)
    },
  })
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
  const apply = r.subjectMedianMs
  const perRow = (rowByRow * N) / SAMPLE
  printResult({
    name: "Reference data",
    lines: [
      `reference-data apply, ${N} rows with 1% changed (median): ${apply.toFixed(0)} ms`,
      `raw COPY of the same ${N} rows into an empty table (the floor, median): ${r.baselineMedianMs.toFixed(0)} ms`,
      `ratio apply / raw COPY: ${describe(r)}`,
      `row-by-row upsert: ${rowByRow.toFixed(0)} ms for a ${SAMPLE}-row sample, extrapolated to ${N} rows: ${perRow.toFixed(0)} ms`,
      `ratio row-by-row / apply: ${(perRow / apply).toFixed(1)}× faster (one sample, not interleaved)`,
    ],
    targets: [
      {
        target: "within 2× raw COPY (median of interleaved pairs)",
        figure: `${r.ratio.toFixed(2)}× (spread ${r.spread.min.toFixed(2)}–${r.spread.max.toFixed(2)}×)`,
        met: r.ratio <= 2,
        noisy: r.noisy,
      },
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
