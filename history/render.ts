/** The text forms of `reconcile history`: a table of runs, and one run with its summary. */
import * as Schema from "effect/Schema"
import { Summary } from "../engine/apply/Summary.ts"
import { plainStyle, renderSummaryText } from "../engine/render/index.ts"
import type { RunRecord } from "./RunRecord.ts"

const seconds = (r: RunRecord) =>
  `${Math.max(0, Math.round((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000))}s`

const who = (r: RunRecord) =>
  [r.actor.user, r.actor.commit?.slice(0, 7), r.actor.ciRunUrl].filter((x) => x !== undefined).join(" ")

const columns = (rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? []
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")
}

/** The listing, newest first. */
export const renderRuns = (env: string, runs: ReadonlyArray<RunRecord>): string =>
  runs.length === 0
    ? `no runs of ${env} recorded yet`
    : columns([
        ["RUN", "KIND", "STARTED", "TOOK", "OUTCOME", "RELEASE", "BACKUP", "BY"],
        ...runs.map((r) => [
          r.id,
          r.kind,
          r.startedAt.replace(/\.\d+Z$/, "Z"),
          seconds(r),
          r.outcome,
          r.release ?? "-",
          r.backup ?? "-",
          who(r),
        ]),
      ])

/** One run: its facts, then its summary as the text renderer shows it (a rollback's result as-is). */
export const renderRun = (run: RunRecord, summary: unknown): string => {
  const head = [
    `run ${run.id}: ${run.kind} of ${run.env}, ${run.outcome}`,
    `started ${run.startedAt}, finished ${run.finishedAt} (${seconds(run)})`,
    `by ${who(run)}`,
    `manifest digest ${run.manifestDigest ?? "-"}, release ${run.release ?? "-"}, backup ${run.backup ?? "-"}`,
    "",
  ]
  const decoded = Schema.decodeUnknownEither(Summary)(summary)
  const body =
    decoded._tag === "Right"
      ? renderSummaryText(decoded.right, plainStyle)
      : Object.entries((summary ?? {}) as Record<string, unknown>)
          .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
          .join("\n")
  return [...head, body].join("\n")
}
