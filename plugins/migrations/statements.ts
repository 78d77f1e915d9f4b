/**
 * Splitting a migration into statements (quotes, dollar quotes and comments respected) and finding
 * the statements Postgres refuses inside a transaction block, which must run on their own.
 */

export interface Statement {
  /** Offset of the statement's first character in the file. */
  readonly start: number
  readonly text: string
  /** The text with comments blanked, for matching. */
  readonly code: string
}

/** Splits SQL at top-level semicolons; empty statements are dropped. */
export const splitStatements = (sql: string): ReadonlyArray<Statement> => {
  const out: Array<Statement> = []
  // `code` is the text with comments blanked: kept as slices of `sql` and runs of spaces, copied up
  // to `copied`, so plain characters cost nothing but the scan
  let parts: Array<string> = []
  let copied = 0
  let start = 0
  let i = 0
  const blank = (from: number, to: number) => {
    parts.push(sql.slice(copied, from), " ".repeat(to - from))
    copied = to
  }
  const flush = (end: number) => {
    parts.push(sql.slice(copied, end))
    const code = parts.join("")
    if (code.trim() !== "") out.push({ start, text: sql.slice(start, end), code })
    parts = []
    copied = end
    start = end
  }
  const dollarTag = /\$[A-Za-z_]*\$/y
  while (i < sql.length) {
    const c = sql.charCodeAt(i)
    if (c === 45 /* - */ && sql.charCodeAt(i + 1) === 45) {
      const end = sql.indexOf("\n", i)
      const stop = end < 0 ? sql.length : end
      blank(i, stop)
      i = stop
    } else if (c === 47 /* / */ && sql.charCodeAt(i + 1) === 42 /* * */) {
      let depth = 0
      let j = i
      do {
        if (sql.startsWith("/*", j)) {
          depth++
          j += 2
        } else if (sql.startsWith("*/", j)) {
          depth--
          j += 2
        } else j++
      } while (depth > 0 && j < sql.length)
      blank(i, j)
      i = j
    } else if (c === 39 /* ' */ || c === 34 /* " */) {
      let j = i + 1
      while (j < sql.length && !(sql.charCodeAt(j) === c && sql.charCodeAt(j + 1) !== c))
        j += sql.charCodeAt(j) === c ? 2 : 1
      i = j + 1
    } else if (c === 36 /* $ */) {
      dollarTag.lastIndex = i
      const tag = dollarTag.exec(sql)?.[0]
      const end = tag === undefined ? -1 : sql.indexOf(tag, i + tag.length)
      i = tag === undefined ? i + 1 : end < 0 ? sql.length : end + tag.length
    } else if (c === 59 /* ; */) {
      i++
      flush(i)
    } else i++
  }
  flush(sql.length)
  return out
}

const always: ReadonlyArray<readonly [RegExp, string]> = [
  [/^\s*CREATE\s+(UNIQUE\s+)?INDEX\s+CONCURRENTLY\b/i, "CREATE INDEX CONCURRENTLY"],
  [/^\s*DROP\s+INDEX\s+CONCURRENTLY\b/i, "DROP INDEX CONCURRENTLY"],
  [/^\s*REINDEX\b[^;]*\bCONCURRENTLY\b/i, "REINDEX CONCURRENTLY"],
  [/^\s*ALTER\s+TABLE\b[^;]*\bDETACH\s+PARTITION\b[^;]*\bCONCURRENTLY\b/i, "DETACH PARTITION CONCURRENTLY"],
  [/^\s*VACUUM\b/i, "VACUUM"],
  [/^\s*(CREATE|DROP)\s+DATABASE\b/i, "CREATE/DROP DATABASE"],
  [/^\s*(CREATE|DROP)\s+TABLESPACE\b/i, "CREATE/DROP TABLESPACE"],
  [/^\s*ALTER\s+SYSTEM\b/i, "ALTER SYSTEM"],
  [/^\s*CREATE\s+SUBSCRIPTION\b/i, "CREATE SUBSCRIPTION"],
]

/** A word each pattern above (and the ADD VALUE of old servers) contains. */
const mayRunAlone = /CONCURRENTLY|VACUUM|DATABASE|TABLESPACE|SYSTEM|SUBSCRIPTION|VALUE/i

/** Why a statement cannot run in a transaction on this server, or undefined when it can. */
export const outsideTransactionReason = (code: string, serverVersion: number): string | undefined => {
  for (const [re, label] of always) if (re.test(code)) return label
  if (serverVersion < 120000 && /^\s*ALTER\s+TYPE\b[^;]*\bADD\s+VALUE\b/i.test(code)) {
    return "ALTER TYPE ... ADD VALUE (server older than 12)"
  }
  return undefined
}

/** A run of statements executed together: in one transaction, or one statement alone. */
export interface Segment {
  readonly start: number
  readonly text: string
  readonly alone?: string
}

/** Splits a migration into segments; a file with nothing special is one transactional segment. */
export const segmentsOf = (sql: string, serverVersion: number): ReadonlyArray<Segment> => {
  // every statement that must run alone names one of these words: without any, the file is one
  // segment and need not be split (the common case, and a first deploy splits every file)
  if (!mayRunAlone.test(sql)) return [{ start: 0, text: sql }]
  const statements = splitStatements(sql)
  if (statements.every((s) => outsideTransactionReason(s.code, serverVersion) === undefined)) {
    return [{ start: 0, text: sql }]
  }
  const out: Array<Segment> = []
  let run: Array<Statement> = []
  const close = () => {
    const first = run[0]
    const last = run[run.length - 1]
    if (first !== undefined && last !== undefined) {
      out.push({ start: first.start, text: sql.slice(first.start, last.start + last.text.length) })
    }
    run = []
  }
  for (const s of statements) {
    const alone = outsideTransactionReason(s.code, serverVersion)
    if (alone === undefined) run.push(s)
    else {
      close()
      out.push({ start: s.start, text: s.text, alone })
    }
  }
  close()
  return out
}

/** Plan notes for a migration: which statements run outside a transaction, and where. */
export const notesOf = (sql: string, serverVersion: number): ReadonlyArray<string> =>
  splitStatements(sql).flatMap((s) => {
    const reason = outsideTransactionReason(s.code, serverVersion)
    if (reason === undefined) return []
    const at = lineCol(sql, s.start + s.code.length - s.code.trimStart().length)
    return [`runs outside a transaction: ${reason} (line ${at.line})`]
  })

/** 1-based line and column of a 0-based offset. */
export const lineCol = (text: string, offset: number): { readonly line: number; readonly col: number } => {
  const before = text.slice(0, Math.max(0, offset))
  const lines = before.split("\n")
  return { line: lines.length, col: (lines[lines.length - 1]?.length ?? 0) + 1 }
}
