/**
 * Judging Squawk's findings with what it cannot know: the live table's estimated rows and size, the
 * columns and tables the running release's Prisma schema declares, the release strategy, and the
 * migration's own acknowledgements (`-- reconcile: allow <rule> because <reason>`). Pure.
 */
import type { LintFinding } from "./lint.ts"
import { lineCol, splitStatements } from "./statements.ts"
import { type Target, targetOf } from "./targets.ts"

export type SafetyClass = "safe" | "slow" | "breaking"

export interface TableFacts {
  readonly rows: number
  readonly bytes: number
}

export interface Judged {
  readonly rule: string
  readonly line: number
  readonly message: string
  readonly class: SafetyClass
  /** The live fact behind the class. */
  readonly fact: string
  readonly fix: string
  /** The acknowledgement's reason, when the migration carries one for this rule. */
  readonly acknowledged?: string
}

export interface Strategy {
  readonly preboot: boolean
  readonly rollback: boolean
}

/** A table of at least this many estimated rows (or bytes) holds its lock noticeably long. */
export const slowRows = 10_000
export const slowBytes = 16 * 1024 * 1024
/** A conservative rate for a scan, sort or rewrite on a small Heroku plan, for the time estimate. */
const bytesPerSecond = 20 * 1024 * 1024

const lockRules: Readonly<Record<string, string>> = {
  "require-concurrent-index-creation": "a SHARE lock (blocks writes) while the index builds",
  "require-concurrent-index-deletion": "an ACCESS EXCLUSIVE lock while the index is dropped",
  "changing-column-type": "an ACCESS EXCLUSIVE lock (blocks reads and writes) while the table is rewritten",
  "adding-field-with-default": "an ACCESS EXCLUSIVE lock while the table is rewritten",
  "adding-not-nullable-field": "an ACCESS EXCLUSIVE lock while every row is checked",
  "setting-not-nullable-field": "an ACCESS EXCLUSIVE lock while every row is checked",
  "constraint-missing-not-valid": "a lock blocking writes while every row is validated",
  "adding-foreign-key-constraint": "a SHARE ROW EXCLUSIVE lock on both tables while rows are validated",
  "disallowed-unique-constraint": "an ACCESS EXCLUSIVE lock while the unique index builds",
  "adding-serial-primary-key-field": "an ACCESS EXCLUSIVE lock while the table is rewritten",
  "adding-primary-key-constraint": "an ACCESS EXCLUSIVE lock while the primary key index builds",
}
/** True for a rule whose cost depends on the table's size. */
export const isLockRule = (rule: string): boolean => Object.hasOwn(lockRules, rule)

const breakingRules: ReadonlyArray<string> = [
  "ban-drop-column",
  "renaming-column",
  "ban-drop-table",
  "renaming-table",
  "adding-required-field",
]

/** `-- reconcile: allow <rule> because <reason>` comments of a migration: rule → reason. */
export const acknowledgementsOf = (sql: string): ReadonlyMap<string, string> => {
  const out = new Map<string, string>()
  for (const m of sql.matchAll(/--\s*reconcile:\s*allow\s+([a-z0-9-]+)\s+because\s+(\S[^\n]*)/gi)) {
    out.set(m[1]!.toLowerCase(), m[2]!.trim())
  }
  return out
}

/** What the statement at a finding's line changes (table, column), parsed from the SQL. */
export const targetAt = (sql: string, line: number): Target | undefined => {
  // a statement starts at its first character of code (after the previous line's end, comments)
  const statements = splitStatements(sql).map((s) => ({
    ...s,
    line: lineCol(sql, s.start + s.code.length - s.code.trimStart().length).line,
  }))
  const at = statements.find((s, i) => {
    const next = statements[i + 1]
    return s.line <= line && (next === undefined || next.line > line)
  })
  return at === undefined ? undefined : targetOf(at.code)
}

const size = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} kB`

const rowsText = (rows: number) => `≈${Math.round(rows).toLocaleString("en-US")} rows`

const strategyText = (s: Strategy) =>
  s.preboot
    ? "with preboot the old dynos keep serving while the new release starts"
    : s.rollback
      ? "release.onFailure: rollback returns to the release that uses it"
      : "the running release uses it until the new code starts (migrations run first)"

const judgeLock = (f: LintFinding, target: Target | undefined, facts: TableFacts | undefined) => {
  const lock = lockRules[f.rule]!
  if (target === undefined || facts === undefined) {
    return {
      class: "safe" as const,
      fact: target === undefined ? "no table found in the statement" : `${target.table} does not exist yet`,
    }
  }
  const seconds = facts.bytes / bytesPerSecond
  const slow = facts.rows >= slowRows || facts.bytes >= slowBytes
  const fact =
    `${target.table}: ${rowsText(facts.rows)}, ${size(facts.bytes)}; holds ${lock}` +
    (slow ? ` for ~${seconds < 1 ? seconds.toFixed(1) : Math.round(seconds)} s or more` : "")
  return slow
    ? { class: "slow" as const, fact }
    : { class: "safe" as const, fact: `${fact} (under ${slowRows.toLocaleString("en-US")} rows: brief)` }
}

const breakingFix = (rule: string, t: Target): string => {
  const when = "in the next release, once no running code uses it"
  switch (rule) {
    case "ban-drop-column":
      return `expand/contract: first release code whose schema.prisma no longer declares ${t.table}.${t.column}; move this DROP COLUMN into a migration ${when}`
    case "renaming-column":
      return `expand/contract: add the new column and write both now; move the rename (a DROP of ${t.column}) into a migration ${when}`
    case "ban-drop-table":
      return `expand/contract: first release code that no longer declares ${t.table}; move this DROP TABLE into a migration ${when}`
    case "renaming-table":
      return `expand/contract: create the new table (or a view) now; move the rename into a migration ${when}`
    default:
      return `expand/contract: add ${t.column ?? "the column"} nullable or with a default now; make it required in a migration ${when}`
  }
}

const judgeBreaking = (
  f: LintFinding,
  target: Target | undefined,
  declared: ReadonlyMap<string, ReadonlySet<string>>,
  strategy: Strategy,
) => {
  if (target === undefined)
    return { class: "safe" as const, fact: "no table found in the statement", fix: "" }
  const columns = declared.get(target.table)
  const uses =
    columns !== undefined &&
    (f.rule === "ban-drop-table" || f.rule === "renaming-table" || f.rule === "adding-required-field"
      ? true
      : target.column !== undefined && columns.has(target.column))
  const what = target.column === undefined ? target.table : `${target.table}.${target.column}`
  if (!uses)
    return { class: "safe" as const, fact: `the running release's schema does not declare ${what}`, fix: "" }
  return {
    class: "breaking" as const,
    fact: `the running release's schema.prisma declares ${what}; ${strategyText(strategy)}`,
    fix: breakingFix(f.rule, target),
  }
}

/** Every finding of one migration, judged. */
export const judge = (
  sql: string,
  findings: ReadonlyArray<LintFinding>,
  tables: ReadonlyMap<string, TableFacts>,
  declared: ReadonlyMap<string, ReadonlySet<string>>,
  strategy: Strategy,
): ReadonlyArray<Judged> => {
  const acks = acknowledgementsOf(sql)
  return findings.map((f): Judged => {
    const target = targetAt(sql, f.line)
    const base = { rule: f.rule, line: f.line, message: f.message }
    const ack = acks.get(f.rule)
    const withAck = ack === undefined ? {} : { acknowledged: ack }
    if (breakingRules.includes(f.rule)) {
      const j = judgeBreaking(f, target, declared, strategy)
      return { ...base, ...j, fix: j.fix || (f.help ?? "none needed"), ...withAck }
    }
    if (lockRules[f.rule] !== undefined) {
      const j = judgeLock(f, target, target === undefined ? undefined : tables.get(target.table))
      return { ...base, ...j, fix: f.help ?? "run it when traffic is low", ...withAck }
    }
    return { ...base, class: "safe", fact: "style or robustness", fix: f.help ?? "see the rule", ...withAck }
  })
}
