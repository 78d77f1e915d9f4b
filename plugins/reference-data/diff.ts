/** The reference-data plan, purely: one step per table that changes, and the version row. */
import type { PlannedChange } from "../../engine/index.ts"
import type { ReferenceDataSpec } from "../../services/database/section.ts"
import type { TableChange } from "./sync.ts"

export interface ReferenceLive {
  readonly database: "present" | "missing"
  readonly tables: ReadonlyArray<TableChange>
  /** The version recorded by the last apply; null when none. */
  readonly version: string | null
}

export type ReferenceChange = { readonly table: string }

const samples = (label: string, keys: ReadonlyArray<string>) =>
  keys.length === 0 ? [] : [`${label} ${keys.join(", ")}`]

/** Counts that apply would change for a table (deletes only when pruning). */
export const effective = (t: TableChange, prune: boolean) => ({
  inserted: t.inserted,
  updated: t.updated,
  deleted: prune ? t.deleted : 0,
})

export const diffReferenceData = (
  rd: ReferenceDataSpec,
  live: ReferenceLive,
): ReadonlyArray<PlannedChange<ReferenceChange>> => {
  const prune = rd.prune === true
  const steps: Array<PlannedChange<ReferenceChange>> = []
  for (const t of live.tables) {
    const e = effective(t, prune)
    if (e.inserted + e.updated + e.deleted === 0) continue
    const now = t.current ?? 0
    const keys = [
      ...samples("insert", t.samples.inserted),
      ...samples("update", t.samples.updated),
      ...(prune ? samples("delete", t.samples.deleted) : []),
    ]
    steps.push({
      key: t.table,
      action: now === 0 ? "create" : "update",
      before: { rows: now },
      after: { rows: now + e.inserted - e.deleted, insert: e.inserted, update: e.updated, delete: e.deleted },
      destructive: e.deleted > 0,
      reason: `reference data ${rd.version}: ${e.inserted} to insert, ${e.updated} to update, ${e.deleted} to delete${t.current === null ? " (the table does not exist yet)" : ""}`,
      notes: [
        ...(keys.length > 0 ? [`sample keys: ${keys.join("; ")}`] : []),
        ...(!prune && t.deleted > 0
          ? [`${t.deleted} row(s) not in the dataset are kept (prune is off)`]
          : []),
      ],
      change: { table: t.table },
    })
  }
  if (steps.length === 0 && live.version !== rd.version) {
    steps.push({
      key: "(version)",
      action: "update",
      before: live.version,
      after: rd.version,
      reason: "record the dataset version (the rows already match)",
      change: { table: "(version)" },
    })
  }
  return steps
}
