/**
 * What a statement changes and what a Prisma schema declares, as table and column names the way
 * Postgres stores them (quoted names keep their case, bare names fold to lower case).
 */

export interface Target {
  /** The table's name as stored (no schema prefix). */
  readonly table: string
  readonly column?: string
}

const ident = '(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)'
const qualified = String.raw`(${ident}(?:\s*\.\s*${ident})?)`

/** A (possibly quoted) identifier as Postgres stores it. */
export const unquote = (name: string): string =>
  name.startsWith('"') ? name.slice(1, -1).replaceAll('""', '"') : name.toLowerCase()

/** The last part of a possibly schema-qualified name, unquoted. */
const lastPart = (name: string): string => {
  const parts = name.match(new RegExp(ident, "g")) ?? [name]
  return unquote(parts[parts.length - 1] ?? name)
}

const patterns: ReadonlyArray<RegExp> = [
  new RegExp(
    String.raw`^\s*CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?:${ident}\s+)?ON\s+(?:ONLY\s+)?${qualified}`,
    "i",
  ),
  new RegExp(String.raw`^\s*ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?${qualified}`, "i"),
  new RegExp(String.raw`^\s*DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?${qualified}`, "i"),
  new RegExp(String.raw`^\s*DROP\s+INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+EXISTS\s+)?${qualified}`, "i"),
]

const columnPatterns: ReadonlyArray<RegExp> = [
  new RegExp(String.raw`\bDROP\s+(?:COLUMN\s+)?(?:IF\s+EXISTS\s+)?(${ident})`, "i"),
  new RegExp(String.raw`\bRENAME\s+(?:COLUMN\s+)?(${ident})\s+TO\b`, "i"),
  new RegExp(String.raw`\bALTER\s+(?:COLUMN\s+)?(${ident})\s+(?:SET\s+DATA\s+)?TYPE\b`, "i"),
  new RegExp(String.raw`\bADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(${ident})`, "i"),
]

/** The table (and column, for a column change) a statement's code (comments blanked) changes. */
export const targetOf = (code: string): Target | undefined => {
  for (const re of patterns) {
    const m = re.exec(code)
    if (m?.[1] === undefined) continue
    const table = lastPart(m[1])
    const rest = code.slice((m.index ?? 0) + m[0].length)
    if (!/^\s*ALTER\s+TABLE/i.test(code)) return { table }
    for (const c of columnPatterns) {
      const col = c.exec(rest)?.[1]
      if (col !== undefined && !/^(constraint|column)$/i.test(col)) return { table, column: unquote(col) }
    }
    return { table }
  }
  return undefined
}

/**
 * Tables and their columns that a Prisma schema declares (model → `@@map` table, scalar field →
 * `@map` column). Relation fields are listed too; they match no column, so they change nothing.
 */
export const declaredBy = (schema: string): ReadonlyMap<string, ReadonlySet<string>> => {
  const out = new Map<string, ReadonlySet<string>>()
  for (const m of schema.matchAll(/^\s*model\s+(\w+)\s*\{([\s\S]*?)^\s*\}/gm)) {
    const body = m[2] ?? ""
    const table = /@@map\(\s*"([^"]+)"\s*\)/.exec(body)?.[1] ?? m[1]!
    const columns = new Set<string>()
    for (const line of body.split("\n")) {
      const field = /^\s*(\w+)\s+\w/.exec(line)
      if (field === null || line.trim().startsWith("//")) continue
      columns.add(/@map\(\s*"([^"]+)"\s*\)/.exec(line)?.[1] ?? field[1]!)
    }
    out.set(table, columns)
  }
  return out
}

/** Merges declarations (a schema at HEAD and in the working tree). */
export const mergeDeclared = (
  ...all: ReadonlyArray<ReadonlyMap<string, ReadonlySet<string>>>
): ReadonlyMap<string, ReadonlySet<string>> => {
  const out = new Map<string, Set<string>>()
  for (const d of all) for (const [t, cols] of d) out.set(t, new Set([...(out.get(t) ?? []), ...cols]))
  return out
}

/** Tables the given SQL creates (they are empty when a later statement changes them). */
export const createdTables = (sql: string): ReadonlyArray<string> =>
  [
    ...sql.matchAll(new RegExp(String.raw`\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?${qualified}`, "gi")),
  ].map((m) => lastPart(m[1] ?? ""))
