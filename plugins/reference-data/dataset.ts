/**
 * A reference dataset on disk: `dataset.yaml` lists the tables in foreign-key order (parents first),
 * each with its file (JSON array of objects, or CSV with a header) and primary key. Rows are read as
 * text (null stays null) and handed to Postgres as CSV, so the table's own types parse them.
 */
import { existsSync } from "node:fs"
import { extname, join, resolve } from "node:path"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { parse } from "yaml"
import { PluginError } from "../../engine/index.ts"
import { type Cell, type CsvForCopy, csvForCopy, csvOf, parseCsv } from "./csv.ts"
import { datasetPath, type Roots, readDatasetText, readTableFileText } from "./files.ts"
import { tableParts } from "./sql.ts"

/** A table name as `tableParts` reads it: `Table`, `schema.Table`, or SQL-quoted parts. */
const TableName = Schema.String.pipe(
  Schema.filter((name) => tableParts(name) !== undefined, {
    message: () => 'expected a table name: Table, schema.Table, or double-quoted parts ("Price.List")',
  }),
)

export { type Cell, csvOf, parseCsv } from "./csv.ts"

export const DatasetTable = Schema.Struct({
  table: TableName,
  file: Schema.String,
  primaryKey: Schema.NonEmptyArray(Schema.String),
  /** Columns to load; default: the file's (or, when promoting, the source table's). */
  columns: Schema.optional(Schema.Array(Schema.String)),
})
export type DatasetTable = typeof DatasetTable.Type

export const DatasetManifest = Schema.Struct({ tables: Schema.Array(DatasetTable) })
export type DatasetManifest = typeof DatasetManifest.Type

export interface TableRows {
  readonly columns: ReadonlyArray<string>
  readonly rows: ReadonlyArray<ReadonlyArray<Cell>>
}

/** Reads and checks `<dir>/dataset.yaml` (`dir` relative to the repository `root`, inside it). */
export const readDataset = (root: Roots, dir: string): Effect.Effect<DatasetManifest, PluginError> =>
  Effect.gen(function* () {
    const file = join(datasetPath(root, dir), "dataset.yaml")
    const text = yield* readDatasetText(root, dir)
    const raw = yield* Effect.try({
      try: () => parse(text) as unknown,
      catch: (e) => PluginError.invalid(`cannot read ${file}: ${(e as Error).message}`),
    })
    return yield* Schema.decodeUnknown(DatasetManifest)(raw).pipe(
      Effect.mapError((e) => PluginError.invalid(`${file}: ${e.message.split("\n").slice(0, 3).join(" ")}`)),
    )
  })

const cellOf = (v: unknown): Cell =>
  v === null || v === undefined ? null : typeof v === "object" ? JSON.stringify(v) : String(v)

const missingKey = (t: DatasetTable) => () =>
  PluginError.invalid(`${t.file}: primary key ${t.primaryKey.join(", ")} is not among its columns`)

/** Reads one table's file (inside the repository `root`). */
export const readTableFile = (
  root: Roots,
  dir: string,
  t: DatasetTable,
): Effect.Effect<TableRows, PluginError> =>
  Effect.flatMap(readTableFileText(root, dir, t.file), (text) =>
    Effect.try({
      try: () => {
        const file = t.file
        if (extname(file).toLowerCase() === ".csv") {
          const [header, ...rows] = parseCsv(text)
          if (header === undefined) return { columns: [], rows: [] }
          const ragged = rows.findIndex((r) => r.length !== header.length)
          if (ragged >= 0) {
            throw new Error(
              `data row ${ragged + 1} has ${rows[ragged]?.length} field(s), the header ${header.length}`,
            )
          }
          return { columns: header.map((h) => h ?? ""), rows }
        }
        const items = JSON.parse(text) as ReadonlyArray<Record<string, unknown>>
        if (!Array.isArray(items)) throw new Error("expected a JSON array of objects")
        const columns = t.columns ?? Object.keys(items[0] ?? {})
        return { columns, rows: items.map((item) => columns.map((c) => cellOf(item[c]))) }
      },
      catch: (e) =>
        PluginError.invalid(`cannot read ${t.file} for table ${t.table}: ${(e as Error).message}`),
    }),
  ).pipe(Effect.filterOrFail((r) => t.primaryKey.every((k) => r.columns.includes(k)), missingKey(t)))

/**
 * A table's rows as CSV text for COPY, every value quoted (null stays an unquoted empty field), so no
 * line of the data can be COPY's end-of-data marker `\.`, whatever the file held; with the row count
 * and the first rows (sample keys).
 */
export const readTableText = (
  root: Roots,
  dir: string,
  t: DatasetTable,
): Effect.Effect<CsvForCopy, PluginError> =>
  extname(t.file).toLowerCase() === ".csv"
    ? Effect.flatMap(readTableFileText(root, dir, t.file), (text) =>
        Effect.try({
          try: () => csvForCopy(text),
          catch: (e) =>
            PluginError.invalid(`cannot read ${t.file} for table ${t.table}: ${(e as Error).message}`),
        }),
      ).pipe(Effect.filterOrFail((r) => t.primaryKey.every((k) => r.columns.includes(k)), missingKey(t)))
    : Effect.map(readTableFile(root, dir, t), (r) => ({
        columns: r.columns,
        csv: csvOf(r.rows),
        count: r.rows.length,
        head: r.rows.slice(0, 3),
      }))

/** Whether a dataset file exists. */
export const hasFile = (root: Roots, dir: string, t: DatasetTable) =>
  existsSync(resolve(datasetPath(root, dir), t.file))
