/** SQL text for comparing and applying a table against its loaded copy (`s` = new rows, `t` = table). */

export const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`

/**
 * The parts of a dataset's table name: `Table` or `schema.Table`, each part taken exactly as written
 * (case kept, as Prisma names tables after its models), or double-quoted as in SQL to hold dots or
 * quotes (`"Catalog"."Price.List"`). Undefined when malformed (empty part, unterminated quote).
 */
export const tableParts = (name: string): ReadonlyArray<string> | undefined => {
  const parts: Array<string> = []
  let i = 0
  while (i <= name.length) {
    let part = ""
    if (name[i] === '"') {
      i++
      for (;;) {
        const q = name.indexOf('"', i)
        if (q < 0) return undefined
        part += name.slice(i, q)
        if (name[q + 1] === '"') {
          part += '"'
          i = q + 2
        } else {
          i = q + 1
          break
        }
      }
      if (i < name.length && name[i] !== ".") return undefined
    } else {
      const dot = name.indexOf(".", i)
      part = name.slice(i, dot < 0 ? name.length : dot)
      i = dot < 0 ? name.length : dot
      if (part.includes('"')) return undefined
    }
    if (part === "" || part.includes("\u0000")) return undefined
    parts.push(part)
    i++
  }
  return parts.length <= 2 ? parts : undefined
}

/** A table name (see `tableParts`) quoted for SQL text and for `to_regclass`. */
export const tableRef = (name: string): string => {
  const parts = tableParts(name)
  if (parts === undefined) throw new Error(`invalid table name ${JSON.stringify(name)}`)
  return parts.map(ident).join(".")
}

export interface Shape {
  readonly table: string
  readonly temp: string
  readonly pk: ReadonlyArray<string>
  readonly columns: ReadonlyArray<string>
}

const list = (alias: string, cols: ReadonlyArray<string>) =>
  cols.map((c) => `${alias}.${ident(c)}`).join(", ")
const valuesOf = (s: Shape) => s.columns.filter((c) => !s.pk.includes(c))
const samePk = (s: Shape) => s.pk.map((k) => `t.${ident(k)} = s.${ident(k)}`).join(" AND ")
const changed = (s: Shape) => {
  const v = valuesOf(s)
  return v.length === 0 ? "false" : `ROW(${list("t", v)}) IS DISTINCT FROM ROW(${list("s", v)})`
}
const key = (alias: string, s: Shape) =>
  s.pk.length === 1
    ? `${alias}.${ident(s.pk[0]!)}::text`
    : `concat_ws('/', ${s.pk.map((k) => `${alias}.${ident(k)}::text`).join(", ")})`

/** A temporary copy of the table's dataset columns, dropped at commit. */
export const createTemp = (s: Shape) =>
  `CREATE TEMP TABLE ${ident(s.temp)} ON COMMIT DROP AS SELECT ${list("x", s.columns)} FROM ${tableRef(s.table)} x WITH NO DATA`

export const copyIntoTemp = (s: Shape) =>
  `COPY ${ident(s.temp)} (${s.columns.map(ident).join(", ")}) FROM STDIN WITH (FORMAT csv)`

/** Statistics for the loaded copy, so the planner joins it by hash rather than row by row. */
export const analyzeTemp = (s: Shape) => `ANALYZE ${ident(s.temp)} (${s.pk.map(ident).join(", ")})`

const inserted = (s: Shape) =>
  `FROM ${ident(s.temp)} s WHERE NOT EXISTS (SELECT 1 FROM ${tableRef(s.table)} t WHERE ${samePk(s)})`
const updated = (s: Shape) =>
  `FROM ${ident(s.temp)} s JOIN ${tableRef(s.table)} t ON ${samePk(s)} WHERE ${changed(s)}`
const deleted = (s: Shape) =>
  `FROM ${tableRef(s.table)} t WHERE NOT EXISTS (SELECT 1 FROM ${ident(s.temp)} s WHERE ${samePk(s)})`

/** Counts and up to three sample keys of rows to insert, update and delete, and the current count. */
export const countsSql = (s: Shape) => `SELECT
  (SELECT count(*) ${inserted(s)})::int AS inserted,
  (SELECT coalesce(array_agg(k), '{}') FROM (SELECT ${key("s", s)} AS k ${inserted(s)} ORDER BY 1 LIMIT 3) x) AS inserted_keys,
  (SELECT count(*) ${updated(s)})::int AS updated,
  (SELECT coalesce(array_agg(k), '{}') FROM (SELECT ${key("s", s)} AS k ${updated(s)} ORDER BY 1 LIMIT 3) x) AS updated_keys,
  (SELECT count(*) ${deleted(s)})::int AS deleted,
  (SELECT coalesce(array_agg(k), '{}') FROM (SELECT ${key("t", s)} AS k ${deleted(s)} ORDER BY 1 LIMIT 3) x) AS deleted_keys,
  (SELECT count(*) FROM ${tableRef(s.table)})::int AS current`

const op = ident("__reconcile_op")
const oldKey = (i: number) => ident(`__reconcile_old_${i}`)
const diffTable = (s: Shape) => ident(`${s.temp}_diff`)

/**
 * The apply's one comparison: a table of the rows that differ (op `i` insert, `u` update, `d` delete,
 * the last only when pruning), found by one hash join of the loaded copy with the table, so the
 * writes that follow touch only those rows by key (three joins of every row cost about as much as
 * the COPY itself, issue 13's bench line).
 */
export const diffSql = (s: Shape, prune: boolean) =>
  `CREATE TEMP TABLE ${diffTable(s)} ON COMMIT DROP AS
    SELECT CASE WHEN t.ctid IS NULL THEN 'i' WHEN s.ctid IS NULL THEN 'd' ELSE 'u' END AS ${op},
      ${list("s", s.columns)}, ${s.pk.map((k, i) => `t.${ident(k)} AS ${oldKey(i)}`).join(", ")}
    FROM ${ident(s.temp)} s ${prune ? "FULL" : "LEFT"} JOIN ${tableRef(s.table)} t ON ${samePk(s)}
    WHERE t.ctid IS NULL OR ${prune ? "s.ctid IS NULL OR " : ""}${changed(s)}`

/** Updates the rows `diffSql` found changed. */
export const updateDiffSql = (s: Shape) => {
  const v = valuesOf(s)
  if (v.length === 0) return undefined
  return `UPDATE ${tableRef(s.table)} t SET ${v.map((c) => `${ident(c)} = d.${ident(c)}`).join(", ")}
    FROM ${diffTable(s)} d WHERE d.${op} = 'u' AND ${s.pk.map((k) => `t.${ident(k)} = d.${ident(k)}`).join(" AND ")}`
}

/** Inserts the rows `diffSql` found missing. */
export const insertDiffSql = (s: Shape) =>
  `INSERT INTO ${tableRef(s.table)} (${s.columns.map(ident).join(", ")})
    SELECT ${s.columns.map(ident).join(", ")} FROM ${diffTable(s)} WHERE ${op} = 'i'`

/** Deletes the rows `diffSql` found absent from the dataset. */
export const deleteDiffSql = (s: Shape) =>
  `DELETE FROM ${tableRef(s.table)} t USING ${diffTable(s)} d
    WHERE d.${op} = 'd' AND ${s.pk.map((k, i) => `t.${ident(k)} = d.${oldKey(i)}`).join(" AND ")}`
