/**
 * Pure classification of migrations against the ledger, and what a target asks for: the pending
 * names in order, or why apply is blocked (failed, edited, target behind, needs a baseline).
 */
import { checksumMatches } from "./folder.ts"
import type { LedgerRow } from "./ledger.ts"

export type MigrationStatus = "applied" | "pending" | "failed" | "rolled-back" | "edited"

export interface Classified {
  readonly name: string
  readonly file: string
  readonly status: MigrationStatus
  readonly logs?: string
}

/** Every disk migration's status, and ledger names that are not on disk. */
export const classify = (
  disk: ReadonlyArray<{ readonly name: string; readonly file: string; readonly sql: string }>,
  rows: ReadonlyArray<LedgerRow>,
): { readonly migrations: ReadonlyArray<Classified>; readonly unknown: ReadonlyArray<string> } => {
  const migrations = disk.map((m): Classified => {
    const live = rows.filter((r) => r.name === m.name && r.rolledBackAt === null)
    const applied = live.find((r) => r.finishedAt !== null)
    if (applied !== undefined) {
      return {
        name: m.name,
        file: m.file,
        status: checksumMatches(applied.checksum, m.sql) ? "applied" : "edited",
      }
    }
    const failed = live.find((r) => r.finishedAt === null)
    if (failed !== undefined) return { name: m.name, file: m.file, status: "failed", logs: failed.logs ?? "" }
    const status = rows.some((r) => r.name === m.name) ? "rolled-back" : "pending"
    return { name: m.name, file: m.file, status }
  })
  const names = new Set(disk.map((m) => m.name))
  const unknown = [
    ...new Set(rows.filter((r) => !names.has(r.name) && r.rolledBackAt === null).map((r) => r.name)),
  ]
  return { migrations, unknown }
}

export interface Blocker {
  readonly name: string
  readonly message: string
}

/** The resolve command to print for a migration. */
export const resolveCommand = (flag: "--applied" | "--rolled-back", name: string, env: string) =>
  `reconcile migrations resolve ${flag} ${name} --env ${env}`

/** What applying up to `target` needs: pending names in order, or the blockers. */
export const pendingFor = (
  migrations: ReadonlyArray<Classified>,
  target: string,
  env: string,
): { readonly pending: ReadonlyArray<Classified>; readonly blockers: ReadonlyArray<Blocker> } => {
  const blockers: Array<Blocker> = []
  for (const m of migrations) {
    if (m.status === "failed") {
      blockers.push({
        name: m.name,
        message:
          `migration ${m.name} failed earlier and blocks apply: ${firstLine(m.logs)}. Fix or revert its ` +
          `changes, then run: ${resolveCommand("--rolled-back", m.name, env)} (or ${resolveCommand("--applied", m.name, env)} if you applied it by hand)`,
      })
    }
    if (m.status === "edited") {
      blockers.push({
        name: m.name,
        message:
          `${m.file} was edited after it was applied (checksum mismatch); restore the applied text and ` +
          `put the change in a new migration`,
      })
    }
  }
  const index = target === "latest" ? migrations.length - 1 : migrations.findIndex((m) => m.name === target)
  if (target !== "latest" && index < 0) {
    blockers.push({ name: target, message: `target migration ${target} is not in the migrations folder` })
    return { pending: [], blockers }
  }
  const ahead = migrations.slice(index + 1).filter((m) => m.status === "applied" || m.status === "edited")
  if (ahead.length > 0) {
    blockers.push({
      name: target,
      message: `target ${target} is behind the database, which has ${ahead.map((m) => m.name).join(", ")} applied; migrations have no down steps`,
    })
  }
  const pending = migrations
    .slice(0, index + 1)
    .filter((m) => m.status === "pending" || m.status === "rolled-back" || m.status === "failed")
  return { pending, blockers }
}

const firstLine = (logs: string | undefined) => {
  const line =
    (logs ?? "").split("\n").find((l) => l.startsWith("ERROR:")) ?? (logs ?? "").split("\n")[0] ?? ""
  return line === "" ? "(no error recorded)" : line
}
