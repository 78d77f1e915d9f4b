/**
 * Saved plans (`--out FILE`, then `reconcile apply FILE`). The file holds the plan (which carries a
 * keyed fingerprint of what was observed and of the desired spec) plus where its manifest lives.
 * Applying re-observes and refuses the plan when anything moved on.
 */
import { readFileSync } from "node:fs"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { StalePlanError, UsageError } from "../errors.ts"
import { Plan } from "../plan/Plan.ts"
import { writePrivateFileSync } from "../privateFile.ts"
import { PlanSeal } from "./planSeal.ts"

/** Version 2 holds a version 2 plan (group steps); older files are refused: plan again. */
export const savedPlanFormatVersion = 2 as const

/** The format version a file says it has, when it says one. */
const versionOf = (text: string): unknown => {
  try {
    const json = JSON.parse(text) as { formatVersion?: unknown; plan?: { formatVersion?: unknown } } | null
    return json?.plan?.formatVersion ?? json?.formatVersion
  } catch {
    return undefined
  }
}

export class SavedPlan extends Schema.Class<SavedPlan>("SavedPlan")({
  kind: Schema.Literal("saved-plan"),
  formatVersion: Schema.Literal(savedPlanFormatVersion),
  manifests: Schema.String,
  env: Schema.String,
  plan: Plan,
  /** A keyed digest of everything above (planSeal.ts); a file without one is refused. */
  seal: Schema.optional(PlanSeal),
}) {}

export const writeSavedPlan = (file: string, saved: SavedPlan) =>
  Effect.try({
    try: () =>
      writePrivateFileSync(file, `${JSON.stringify(Schema.encodeSync(SavedPlan)(saved), null, 2)}\n`),
    catch: (e) => new UsageError({ detail: `cannot write plan to ${file}: ${(e as Error).message}` }),
  })

export const readSavedPlan = (file: string) =>
  Effect.try({
    try: () => readFileSync(file, "utf8"),
    catch: (e) =>
      new UsageError({
        detail:
          (e as NodeJS.ErrnoException).code === "ENOENT"
            ? `no saved plan ${file}: save one with \`reconcile --env NAME --out ${file}\``
            : `cannot read plan ${file}: ${(e as Error).message}`,
      }),
  }).pipe(
    Effect.filterOrFail(
      (text) => versionOf(text) !== 1,
      () =>
        new UsageError({
          detail: `${file} is a plan of format 1, saved by an older reconcile; this one reads format ${savedPlanFormatVersion}: make a new plan with \`reconcile --out\``,
        }),
    ),
    Effect.flatMap((text) =>
      Schema.decodeUnknown(Schema.parseJson(SavedPlan))(text).pipe(
        Effect.mapError(
          () => new UsageError({ detail: `${file} is not a plan saved by \`reconcile --out\`` }),
        ),
      ),
    ),
  )

/** Fails with StalePlanError unless the manifest and the observed state still match the saved plan. */
export const checkFresh = (
  saved: SavedPlan,
  current: { readonly digest: string; readonly fingerprint: string },
): Effect.Effect<void, StalePlanError> => {
  if (current.digest !== saved.plan.manifest.digest) {
    return Effect.fail(
      new StalePlanError({
        detail: `the manifest ${saved.plan.manifest.file} changed since the plan was made`,
      }),
    )
  }
  if (current.fingerprint !== saved.plan.live.fingerprint) {
    return Effect.fail(
      new StalePlanError({
        detail: `live state (or a secret input) of "${saved.env}" changed since the plan was made at ${saved.plan.createdAt}; make a new plan`,
      }),
    )
  }
  return Effect.void
}
