/** How `reconcile backup list` and `backup verify` print: pure functions of their results. */
import type { Snapshot } from "./catalog.ts"
import type { BackupInfo } from "./listing.ts"

const size = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 ** 2
      ? `${(bytes / 1024).toFixed(1)} kB`
      : `${(bytes / 1024 ** 2).toFixed(1)} MB`

const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z`

const verifiedText = (b: BackupInfo) =>
  !b.captured
    ? "no (capture failed)"
    : b.restoreTest === "passed"
      ? `yes, restore-tested ${when(b.testedAt ?? "")}`
      : b.restoreTest === "failed"
        ? "captured; restore test FAILED"
        : "captured, not restore-tested"

/** A table of the backups, newest last. */
export const listText = (env: string, all: ReadonlyArray<BackupInfo>): string => {
  if (all.length === 0) return `${env} has no backups yet`
  const rows = [
    ["ID", "TAKEN", "SIZE", "VERIFIED", "PRECEDED"],
    ...all.map((b) => [b.id, when(b.takenAt), size(b.bytes), verifiedText(b), b.release ?? "-"]),
  ]
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")
}

/** `--output json`: versioned, without the catalog's internals. */
export const listJson = (env: string, all: ReadonlyArray<BackupInfo>): string =>
  JSON.stringify(
    {
      kind: "backup-list",
      formatVersion: 1,
      env,
      backups: all.map(({ entry: _entry, ...b }) => ({ ...b, verified: b.captured })),
    },
    null,
    2,
  )

/** One compared line: a table (or the ledger) in the source at backup time and in the restored copy. */
export interface Compared {
  readonly name: string
  readonly source: string
  readonly restored: string
  readonly same: boolean
}

/** Compares the restored copy with the source at backup time. Pure. */
export const compare = (source: Snapshot, restored: Snapshot): ReadonlyArray<Compared> => {
  const names = [...new Set([...Object.keys(source.counts), ...Object.keys(restored.counts)])].sort()
  const count = (s: Snapshot, n: string) => (Object.hasOwn(s.counts, n) ? String(s.counts[n]) : "missing")
  const ledger = (s: Snapshot) => (s.ledger === null ? "none" : `${s.ledger.length} migration(s)`)
  return [
    {
      name: "migration ledger",
      source: ledger(source),
      restored: ledger(restored),
      same: JSON.stringify(source.ledger) === JSON.stringify(restored.ledger),
    },
    ...names.map((n) => ({
      name: n.startsWith("public.") ? n.slice("public.".length) : n,
      source: count(source, n),
      restored: count(restored, n),
      same: count(source, n) === count(restored, n),
    })),
  ]
}

/** The restore test's report: one line per table, then the recovery time. */
export const verifyText = (id: string, lines: ReadonlyArray<Compared>, recoveryMs: number): string => {
  const width = Math.max(...lines.map((l) => l.name.length))
  const body = lines.map(
    (l) =>
      `  ${l.name.padEnd(width)}  source ${l.source.padStart(6)}  restored ${l.restored.padStart(6)}  ${l.same ? "ok" : "DIFFERS"}`,
  )
  const bad = lines.filter((l) => !l.same).length
  return [
    `restore test of backup ${id}:`,
    ...body,
    `${lines.length - 1} table(s) compared with the source at backup time`,
    `recovery time: ${(recoveryMs / 1000).toFixed(2)} s (download and restore into a scratch database)`,
    bad === 0
      ? "restore test passed: the copy matches the source at backup time"
      : `restore test FAILED: ${bad} difference(s)`,
  ].join("\n")
}

/** `backup restore --dry-run`: the safety backup, the backup restored, the target; nothing written. */
export const restorePreviewText = (p: {
  readonly env: string
  readonly target: string
  readonly provider: "heroku" | "pg_dump"
  readonly backup: BackupInfo
}): string => {
  const b = p.backup
  const safety =
    p.provider === "heroku"
      ? "a Heroku Data API backup of the current state"
      : `a pg_dump file of the current state under .reconcile/backups/${p.env}/`
  return [
    `restore plan for ${p.env} (dry run: nothing was changed, no lock taken)`,
    `  target:   database ${p.target}`,
    `  first:    ${safety}, recorded with its row counts (restore it to undo)`,
    `  restore:  backup ${b.id}, taken ${when(b.takenAt)}, ${size(b.bytes)}, ${verifiedText(b)}${b.release === null ? "" : `, before release ${b.release}`}`,
    "  then:     the database's contents are replaced; the backup catalog and run history are kept",
    `to restore: reconcile backup restore --env ${p.env} --backup ${b.id} --allow-destroy`,
  ].join("\n")
}
