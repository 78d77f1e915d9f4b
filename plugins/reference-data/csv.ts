/**
 * CSV as reference data uses it: RFC 4180 parsing (an unquoted empty field is null, a quoted one the
 * empty string) and the canonical form sent to COPY, every value quoted, so that no data line can be
 * COPY's end-of-data marker `\.`. `canonicalCsv` makes that form in one pass over quote-free text
 * (the usual file), without building every row, and falls back to parse and re-emit otherwise.
 */

export type Cell = string | null

/** Parses CSV (RFC 4180); an unquoted empty field is null, a quoted one the empty string. */
export const parseCsv = (text: string): Array<Array<Cell>> => {
  const rows: Array<Array<Cell>> = []
  let row: Array<Cell> = []
  let i = 0
  const n = text.length
  while (i < n || row.length > 0) {
    let cell: Cell
    if (text[i] === '"') {
      let value = ""
      i++
      for (;;) {
        const q = text.indexOf('"', i)
        if (q < 0) throw new Error("unterminated quoted field")
        value += text.slice(i, q)
        if (text[q + 1] === '"') {
          value += '"'
          i = q + 2
        } else {
          i = q + 1
          break
        }
      }
      cell = value
    } else {
      let j = i
      while (j < n && text[j] !== "," && text[j] !== "\n" && text[j] !== "\r") j++
      cell = j === i ? null : text.slice(i, j)
      i = j
    }
    row.push(cell)
    if (text[i] === ",") i++
    else {
      if (text[i] === "\r") i++
      if (text[i] === "\n") i++
      if (!(row.length === 1 && row[0] === null)) rows.push(row)
      row = []
      if (i >= n) break
    }
  }
  return rows
}

const quote = (c: Cell) => (c === null ? "" : `"${c.replace(/"/g, '""')}"`)

/** The rows as CSV text for `COPY ... (FORMAT csv)`. */
export const csvOf = (rows: ReadonlyArray<ReadonlyArray<Cell>>): string => {
  const out: Array<string> = []
  for (const r of rows) out.push(r.map(quote).join(","))
  return out.length === 0 ? "" : `${out.join("\n")}\n`
}

/** A CSV file (header first) ready for COPY: its columns, its data rows as COPY's CSV, their count and the first three. */
export interface CsvForCopy {
  readonly columns: ReadonlyArray<string>
  /** The data rows, meaning to COPY what `parseCsv` reads in the file. */
  readonly csv: string
  readonly count: number
  readonly head: ReadonlyArray<ReadonlyArray<Cell>>
}

const ragged = (row: number, fields: number, header: number) =>
  new Error(`data row ${row} has ${fields} field(s), the header ${header}`)

/** Parses the whole file and re-emits it with every value quoted (any text). */
const reEmitted = (text: string): CsvForCopy => {
  const [header, ...rows] = parseCsv(text)
  if (header === undefined) return { columns: [], csv: "", count: 0, head: [] }
  const bad = rows.findIndex((r) => r.length !== header.length)
  if (bad >= 0) throw ragged(bad + 1, rows[bad]!.length, header.length)
  return { columns: header.map((h) => h ?? ""), csv: csvOf(rows), count: rows.length, head: rows.slice(0, 3) }
}

const cellsOf = (line: string): ReadonlyArray<Cell> => line.split(",").map((c) => (c === "" ? null : c))

/**
 * The data rows for COPY. A plain file (no double quote, no carriage return, no blank line, no line
 * `\.`, as most files are) means the same to COPY as it is, so its body goes as is, checked for the
 * number of fields by one regular expression, without building its rows in memory (a 100,000-row
 * file's parse and re-emit cost more than the COPY itself). Any other file is parsed and re-emitted.
 * Throws on a row with the wrong number of fields.
 */
export const csvForCopy = (text: string): CsvForCopy => {
  if (text === "" || /["\r]|\n\n|^\n|^\\\.$/m.test(text)) return reEmitted(text)
  const end = text.indexOf("\n")
  const header = (end < 0 ? text : text.slice(0, end)).split(",")
  let body = end < 0 ? "" : text.slice(end + 1)
  if (body !== "" && !body.endsWith("\n")) body += "\n"
  const fields = `[^,\\n]*${",[^,\\n]*".repeat(header.length - 1)}`
  const bad = new RegExp(`^(?!${fields}$).+$`, "m").exec(body)
  let count = 0
  for (let at = body.indexOf("\n"); at >= 0; at = body.indexOf("\n", at + 1)) count++
  if (bad !== null) {
    const row = body.slice(0, bad.index).split("\n").length
    throw ragged(row, bad[0].split(",").length, header.length)
  }
  const head: Array<ReadonlyArray<Cell>> = []
  for (let from = 0; head.length < Math.min(3, count); ) {
    const to = body.indexOf("\n", from)
    head.push(cellsOf(body.slice(from, to)))
    from = to + 1
  }
  return { columns: header, csv: body, count, head }
}
