/**
 * Judged findings in the plan: one step note each (finding, class, live fact, fix), and the
 * unacknowledged slow or breaking ones as plan problems per `database.migrations.safety`.
 */
import type { SafetyLive } from "./facts.ts"
import type { Judged } from "./safety.ts"

/** The plan note of a judged finding: finding, class, live fact, fix. */
export const noteOf = (j: Judged): string =>
  `squawk ${j.rule} (line ${j.line}): ${j.class}${j.acknowledged === undefined ? "" : ` (acknowledged: ${j.acknowledged})`}. ` +
  `${j.message} ${j.fact}. Fix: ${j.fix}`

/** The plan notes of one migration's findings (and one note when Squawk could not run). */
export const safetyNotes = (
  live:
    | { readonly findings: Readonly<Record<string, ReadonlyArray<Judged>>>; readonly unavailable?: string }
    | undefined,
  name: string,
): ReadonlyArray<string> =>
  live === undefined
    ? []
    : [
        ...(live.unavailable === undefined ? [] : [`not linted: ${live.unavailable}`]),
        ...(Object.hasOwn(live.findings, name) ? (live.findings[name] ?? []) : []).map(noteOf),
      ]

/**
 * Unacknowledged slow or breaking findings as plan problems: errors with `safety: block`; with `warn`
 * a breaking finding is still a warning at the top of the plan (slow ones stay step notes).
 */
export const safetyProblems = (
  live: Pick<SafetyLive, "findings"> | undefined,
  pending: ReadonlyArray<{ readonly name: string }>,
  mode: "warn" | "block",
): ReadonlyArray<{ key: string; severity: "error" | "warning"; message: string }> =>
  live === undefined
    ? []
    : pending.flatMap((p) =>
        (Object.hasOwn(live.findings, p.name) ? (live.findings[p.name] ?? []) : [])
          .filter(
            (j) =>
              j.acknowledged === undefined &&
              (j.class === "breaking" || (mode === "block" && j.class === "slow")),
          )
          .map((j) => ({
            key: p.name,
            severity: mode === "block" ? ("error" as const) : ("warning" as const),
            message:
              `${j.class} migration step (squawk ${j.rule}, line ${j.line}): ${j.fact}. Fix: ${j.fix}` +
              (mode === "block"
                ? `. database.migrations.safety is block: split it out, or acknowledge it in the migration with -- reconcile: allow ${j.rule} because <reason>`
                : ""),
          })),
      )
