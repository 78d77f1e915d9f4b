/**
 * How a wave's migrations commit.
 *
 * One by one (the rule): each migration in its own transaction with its ledger row. All but the
 * wave's last commit without waiting for the WAL flush; the last one's synchronous commit flushes
 * them all (the WAL is sequential), as does the autocommitted row of a failure. A database crash
 * mid-run can only lose a migration together with its ledger row.
 *
 * As one (a first deploy: the schema was empty and had no ledger when the lock was taken): one
 * transaction for the wave, a savepoint per migration, committed durably by the wave's last
 * migration. The ledger is created, and the rows of the migrations applied so far written (one
 * INSERT), just before the wave's transaction commits: in that transaction, so nothing outside it
 * sees the difference, and on warm catalogs (created first, on a new session's cold ones, it
 * cost ~10 ms of a ~200 ms first deploy). Nothing
 * outside the wave can wait on the locks of objects it is creating, a killed run leaves the schema
 * as empty as it found it (no ledger either), and it costs about what the bare SQL costs. A failure
 * rolls back to its savepoint and commits the migrations before it with their rows (as Prisma
 * leaves them). A statement Postgres runs alone commits what came before it. From the first
 * migration whose meaning depends on its own transaction (below), the rest of the wave commits one
 * by one. (A migration of a first deploy that reads `_prisma_migrations` itself finds no ledger yet.)
 */
import { createLedgerSqlIn, ledgerColumns } from "./ledger.ts"
import { splitStatements } from "./statements.ts"

/** A wave's commit mode, shared by its steps (per-run state, held by the wave's session). */
export interface Commits {
  /** Whether migrations still share the wave's transaction. */
  together: boolean
  /** Whether the wave's transaction is open now. */
  open: boolean
  /** Whether the ledger is still to be created (a first deploy's, at the wave's first commit). */
  ledgerPending: boolean
  /** Rows (SQL value tuples) of the migrations applied in the open wave transaction, not yet written. */
  rows: Array<string>
}

/** One by one, the ledger in place. */
export const oneByOne = (): Commits => ({ together: false, open: false, ledgerPending: false, rows: [] })

/** A first deploy's wave: together, the ledger created when it first commits. */
export const asOne = (): Commits => ({ together: true, open: false, ledgerPending: true, rows: [] })

/**
 * What the wave's transaction writes just before it commits: the ledger's creation (if pending)
 * and the rows of the migrations applied in it, with `row` (this part's) last.
 */
export const pendingWrites = (commits: Commits, ledger: string, row = ""): string => {
  const rows = row === "" ? commits.rows : [...commits.rows, row]
  return (
    (commits.ledgerPending ? `${createLedgerSqlIn(ledger)};\n` : "") +
    (rows.length === 0 ? "" : `INSERT INTO ${ledger} ${ledgerColumns}\n  VALUES ${rows.join(",\n    ")};\n`)
  )
}

/** Commits the wave's transaction durably, its pending writes (and `row`, this part's) first. */
export const commitWave = (commits: Commits, ledger: string, row = ""): string =>
  `${pendingWrites(commits, ledger, row)}SET LOCAL synchronous_commit = on;\nCOMMIT`

/** After the wave's transaction committed: its writes are done. */
export const committed = (commits: Commits): void => {
  commits.open = false
  commits.ledgerPending = false
  commits.rows = []
}

const scoped: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bSET\s+(LOCAL|CONSTRAINTS|TRANSACTION)\b/i, "a transaction-scoped SET"],
  [/\bset_config\s*\(/i, "set_config (it may be transaction-scoped)"],
  [/\bDEFERR(ABLE|ED)\b/i, "a deferrable constraint (checked at commit)"],
  [/\bON\s+COMMIT\b/i, "a temporary table's ON COMMIT"],
  [/\bADD\s+VALUE\b/i, "a new enum value (usable only once committed)"],
]
const control =
  /^\s*(BEGIN|COMMIT|ROLLBACK|ABORT|END|START\s+TRANSACTION|SAVEPOINT|RELEASE|PREPARE\s+TRANSACTION)\b/i

/**
 * A word each pattern above needs (blanking comments keeps words whole): a text without any needs no
 * split, the common case.
 */
const mention =
  /\b(SET|set_config|DEFERR\w*|COMMIT|VALUE|BEGIN|ROLLBACK|ABORT|END|START|SAVEPOINT|RELEASE|PREPARE)\b/i

/** Why a migration must have a transaction of its own (it cannot share the wave's), or undefined. */
export const ownTransactionReason = (sql: string): string | undefined => {
  if (!mention.test(sql)) return undefined
  for (const s of splitStatements(sql)) {
    if (control.test(s.code)) return "transaction control"
    for (const [re, why] of scoped) if (re.test(s.code)) return why
  }
  return undefined
}

export const savepoint = "reconcile_migration"

/** Opening the wave's transaction (commits without waiting for the flush until its last migration). */
export const openWave = "BEGIN;\nSET LOCAL synchronous_commit = off;\n"

/**
 * What to send before and after a part that runs in a transaction, `row` being its ledger row (a
 * value tuple; "" for a part that has none). One by one, the row is written in the part's own
 * transaction. Together, the part is a savepoint in the wave's transaction; a durable part commits
 * the wave, writing the ledger and every row first (`pendingWrites`), else its row waits in
 * `commits.rows` (added by the caller once the part succeeded).
 */
export const framing = (
  commits: Commits,
  durable: boolean,
  ledger: string,
  row: string | (() => string),
): { head: string; tail: string } => {
  // a row given as a function is made only when sent (a wave's part keeps its row until it succeeds)
  const text = () => (typeof row === "string" ? row : row())
  if (!commits.together) {
    const values = text()
    return {
      head: durable ? "BEGIN;\n" : openWave,
      tail: `${values === "" ? "" : `INSERT INTO ${ledger} ${ledgerColumns}\n  VALUES ${values};\n`}COMMIT`,
    }
  }
  const head = `${commits.open ? "" : openWave}SAVEPOINT ${savepoint};\n`
  const release = `RELEASE SAVEPOINT ${savepoint}`
  return durable
    ? {
        head,
        tail: `${release};\n${commitWave(commits, ledger, text())}`,
      }
    : { head, tail: release }
}
