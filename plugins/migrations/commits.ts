/**
 * How a wave's migrations commit.
 *
 * One by one (the rule): each migration in its own transaction with its ledger row. All but the
 * wave's last commit without waiting for the WAL flush; the last one's synchronous commit flushes
 * them all (the WAL is sequential), as does the autocommitted row of a failure. A database crash
 * mid-run can only lose a migration together with its ledger row.
 *
 * As one (a first deploy: the schema was empty when the lock was taken): one transaction for the
 * wave, opened with the ledger's creation, a savepoint per migration, committed durably by the
 * wave's last migration. Nothing outside the wave can wait on the locks of objects it is creating,
 * a killed run leaves the schema as empty as it found it, and it costs what the bare SQL costs. A
 * failure rolls back to its savepoint and commits the migrations before it (as Prisma leaves them).
 * A statement Postgres runs alone commits what came before it. From the first migration whose
 * meaning depends on its own transaction (below), the rest of the wave commits one by one.
 */
import { splitStatements } from "./statements.ts"

/** A wave's commit mode, shared by its steps (per-run state, held by the wave's session). */
export interface Commits {
  /** Whether migrations still share the wave's transaction. */
  together: boolean
  /** Whether the wave's transaction is open now. */
  open: boolean
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

/** Why a migration must have a transaction of its own (it cannot share the wave's), or undefined. */
export const ownTransactionReason = (sql: string): string | undefined => {
  for (const s of splitStatements(sql)) {
    if (control.test(s.code)) return "transaction control"
    for (const [re, why] of scoped) if (re.test(s.code)) return why
  }
  return undefined
}

export const savepoint = "reconcile_migration"

/** Opening the wave's transaction (commits without waiting for the flush until its last migration). */
export const openWave = "BEGIN;\nSET LOCAL synchronous_commit = off;\n"

/** What to send before and after a part that runs in a transaction. */
export const framing = (commits: Commits, durable: boolean): { head: string; tail: string } =>
  commits.together
    ? {
        head: `${commits.open ? "" : openWave}SAVEPOINT ${savepoint};\n`,
        tail: `RELEASE SAVEPOINT ${savepoint}${durable ? ";\nSET LOCAL synchronous_commit = on;\nCOMMIT" : ""}`,
      }
    : { head: durable ? "BEGIN;\n" : openWave, tail: "COMMIT" }
