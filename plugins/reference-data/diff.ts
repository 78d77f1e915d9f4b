/** The reference-data plan, purely: one step per table that changes, and the version row. */
import type { PlannedChange, PlannedMember } from "../../engine/index.ts"
import type { ReferenceDataSpec } from "./spec.ts"
import type { TableChange } from "./sync.ts"

export interface ReferenceLive {
  readonly database: "present" | "missing"
  readonly tables: ReadonlyArray<TableChange>
  /** The version recorded by the last apply; null when none. */
  readonly version: string | null
}

/** The dataset version to converge to (the group applies the whole dataset in one transaction). */
export type ReferenceChange = { readonly version: string }

const samples = (label: string, keys: ReadonlyArray<string>) =>
  keys.length === 0 ? [] : [`${label} ${keys.join(", ")}`]

/** Counts that apply would change for a table (deletes only when pruning). */
export const effective = (t: TableChange, prune: boolean) => ({
  inserted: t.inserted,
  updated: t.updated,
  deleted: prune ? t.deleted : 0,
})

/** Pure: one group step for the dataset, a member per table that changes (or the version row alone). */
export const diffReferenceData = (
  rd: ReferenceDataSpec,
  live: ReferenceLive,
): ReadonlyArray<PlannedChange<ReferenceChange>> => {
  const prune = rd.prune === true
  const members: Array<PlannedMember> = []
  const notes: Array<string> = []
  for (const t of live.tables) {
    const e = effective(t, prune)
    if (e.inserted + e.updated + e.deleted === 0) continue
    const now = t.current ?? 0
    const keys = [
      ...samples("insert", t.samples.inserted),
      ...samples("update", t.samples.updated),
      ...(prune ? samples("delete", t.samples.deleted) : []),
    ]
    members.push({
      key: t.table,
      action: now === 0 ? "create" : "update",
      before: { rows: now },
      after: { rows: now + e.inserted - e.deleted, insert: e.inserted, update: e.updated, delete: e.deleted },
      destructive: e.deleted > 0,
      reason: `${e.inserted} to insert, ${e.updated} to update, ${e.deleted} to delete${t.current === null ? " (the table does not exist yet)" : ""}`,
    })
    if (keys.length > 0) notes.push(`${t.table} sample keys: ${keys.join("; ")}`)
    if (!prune && t.deleted > 0)
      notes.push(`${t.table}: ${t.deleted} row(s) not in the dataset are kept (prune is off)`)
  }
  if (members.length === 0 && live.version !== rd.version) {
    members.push({
      key: "(version)",
      action: "update",
      before: live.version,
      after: rd.version,
      reason: "record the dataset version (the rows already match)",
    })
  }
  if (members.length === 0) return []
  members.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return [
    {
      key: "dataset",
      action: members.every((m) => m.action === "create") ? "create" : "update",
      destructive: members.some((m) => m.destructive === true),
      reason: `reference data ${rd.version}: ${members.length} change(s), applied in one transaction`,
      notes,
      members,
      change: { version: rd.version },
    },
  ]
}
