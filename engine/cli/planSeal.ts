/**
 * What binds a saved plan to what its reviewer read. The file carries a keyed digest (a seal) of
 * everything in it, keyed with `RECONCILE_FINGERPRINT_KEY` when set (an edit cannot be re-sealed
 * without the key) or else with the plan's nonce (accidental edits are caught; a deliberate forger
 * is still stopped by the step check). Applying it re-plans and refuses when the steps planned now
 * differ from the file's, so what runs is what was reviewed.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { StalePlanError } from "../errors.ts"
import { fingerprintLive } from "../plan/fingerprint.ts"
import { Plan } from "../plan/Plan.ts"
import { flattenMembers, type Step } from "../plan/Step.ts"

export const PlanSeal = Schema.Struct({
  /** What keyed the digest: the user's fingerprint key, or (none configured) the plan's own nonce. */
  key: Schema.Literal("fingerprint-key", "nonce"),
  digest: Schema.String,
})
export type PlanSeal = typeof PlanSeal.Type

/** The configured fingerprint key, when there is one (empty counts as unset). */
export const configuredKey = (env: Readonly<Record<string, string | undefined>>): string | undefined => {
  const key = env.RECONCILE_FINGERPRINT_KEY
  return key === undefined || key === "" ? undefined : key
}

interface Sealed {
  readonly manifests: string
  readonly env: string
  readonly plan: Plan
}

const digestOf = (saved: Sealed, key: string) =>
  fingerprintLive(
    { manifests: saved.manifests, env: saved.env, plan: Schema.encodeSync(Plan)(saved.plan) },
    key,
  )

/** Seals a plan about to be saved. */
export const sealPlan = (saved: Sealed, configured: string | undefined): PlanSeal =>
  configured === undefined
    ? { key: "nonce", digest: digestOf(saved, saved.plan.live.nonce) }
    : { key: "fingerprint-key", digest: digestOf(saved, configured) }

const stale = (detail: string) => new StalePlanError({ detail })

/** Fails unless the file's seal matches its content: nothing in it was edited since it was saved. */
export const checkSeal = (
  file: string,
  saved: Sealed & { readonly seal?: PlanSeal | undefined },
  configured: string | undefined,
): Effect.Effect<void, StalePlanError> => {
  const { seal } = saved
  if (seal === undefined) {
    return Effect.fail(
      stale(`${file} carries no digest of its steps (an older reconcile saved it); make a new plan`),
    )
  }
  if (seal.key === "fingerprint-key" && configured === undefined) {
    return Effect.fail(
      stale(
        `${file} was sealed with RECONCILE_FINGERPRINT_KEY; set the same key to apply it, or make a new plan`,
      ),
    )
  }
  if (seal.key === "nonce" && configured !== undefined) {
    // no downgrade: with a key configured, only a seal made with it is trusted
    return Effect.fail(
      stale(
        `${file} was saved without RECONCILE_FINGERPRINT_KEY, which is set now; make a new plan with it set`,
      ),
    )
  }
  const key = seal.key === "nonce" ? saved.plan.live.nonce : (configured as string)
  if (digestOf(saved, key) === seal.digest) return Effect.void
  const why =
    seal.key === "fingerprint-key" ? " (or RECONCILE_FINGERPRINT_KEY is not the one it was saved with)" : ""
  return Effect.fail(
    stale(
      `${file} was edited after it was saved: its digest does not match its content${why}; make a new plan`,
    ),
  )
}

/** A step as a reviewer compares it; secret fingerprints only when both plans used the same key. */
const comparable = (step: Step, fingerprints: boolean) =>
  JSON.stringify({
    action: step.action,
    before: mask(step.before, fingerprints),
    after: mask(step.after, fingerprints),
    destructive: step.destructive,
  })

const mask = (value: Step["before"], fingerprints: boolean): unknown => {
  if (value === undefined || value === null || typeof value !== "object") return value ?? null
  if ("_tag" in value && value._tag === "Sensitive")
    return fingerprints ? `#${value.fingerprint}` : "(sensitive)"
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(value).sort())
    out[k] = mask((value as Record<string, Step["before"]>)[k], fingerprints)
  return out
}

const describe = (step: Step, fingerprints: boolean) => {
  const c = JSON.parse(comparable(step, fingerprints)) as { before: unknown; after: unknown }
  const show = (v: unknown) => (v === null ? "" : ` ${JSON.stringify(v)}`)
  return `${step.action}${show(c.before)}${c.after === null ? "" : " →"}${show(c.after)}`
}

/**
 * Fails when the steps planned now are not the saved plan's: every step the file lists must be
 * planned now with the same action and values, and nothing else may be planned. The message names
 * the first differences.
 */
export const checkSteps = (
  file: string,
  saved: ReadonlyArray<Step>,
  now: ReadonlyArray<Step>,
  fingerprints: boolean,
): Effect.Effect<void, StalePlanError> => {
  const before = new Map(
    flattenMembers(saved)
      .filter((s) => s.action !== "noop")
      .map((s) => [s.address, s]),
  )
  const after = new Map(
    flattenMembers(now)
      .filter((s) => s.action !== "noop")
      .map((s) => [s.address, s]),
  )
  const differences: Array<string> = []
  for (const [address, s] of before) {
    const n = after.get(address)
    if (n === undefined)
      differences.push(`${address} is in ${file} (${describe(s, fingerprints)}) but not planned now`)
    else if (comparable(s, fingerprints) !== comparable(n, fingerprints))
      differences.push(
        `${address}: ${file} says ${describe(s, fingerprints)}, planned now: ${describe(n, fingerprints)}`,
      )
  }
  for (const [address, n] of after) {
    if (!before.has(address))
      differences.push(`${address} is planned now (${describe(n, fingerprints)}) but not in ${file}`)
  }
  if (differences.length === 0) return Effect.void
  const more = differences.length > 3 ? `; and ${differences.length - 3} more` : ""
  return Effect.fail(
    stale(
      `the steps planned now differ from the ones in ${file}: ${differences.slice(0, 3).join("; ")}${more}`,
    ),
  )
}
