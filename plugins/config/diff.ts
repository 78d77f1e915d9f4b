/**
 * The config plugin's pure part. Heroku makes one release per config PATCH, so all sets and unsets
 * of a run travel together: diff yields one group step, `config/vars`, whose members are the keys
 * (`config/JWT_SECRET`, for display and drift), and apply PATCHes what still differs once. A batch
 * that prunes is destructive as a whole.
 */
import * as Redacted from "effect/Redacted"
import type { Action, DiffProblem, DiffResult, PlannedMember, PlanView } from "../../engine/index.ts"
import { emptyView, isKnownPlain, type PlannedChange } from "../../engine/index.ts"
import type { ConfigSpec } from "./spec.ts"

type Value = string | Redacted.Redacted<string>

export interface ConfigLive {
  /** The app name (from `spec.app`), kept here so the diff needs nothing else. */
  readonly app: string
  readonly appExists: boolean
  /** Every live var, values redacted (they may be secrets). */
  readonly vars: Readonly<Record<string, Redacted.Redacted<string>>>
  /** Vars set by the app's add-ons: observed, never written or pruned. */
  readonly addonOwned: ReadonlyArray<string>
  /** Declared vars that an add-on sets (`KEY (set by addon)`): a plan problem. */
  readonly clashes: ReadonlyArray<string>
}

export interface ConfigBatch {
  readonly set: Readonly<Record<string, Value>>
  readonly unset: ReadonlyArray<string>
}

export interface ConfigChange {
  readonly app: string
  readonly batch: ConfigBatch
}

/** The live value of `key`, ignoring inherited properties (a var may be named `constructor`). */
export const liveValue = (live: ConfigLive, key: string): Redacted.Redacted<string> | undefined =>
  Object.hasOwn(live.vars, key) ? live.vars[key] : undefined

/** The plain text of a declared value (for comparing and sending only). */
export const plain = (v: Value): string => (Redacted.isRedacted(v) ? Redacted.value(v) : v)

const differs = (want: Value, have: Redacted.Redacted<string> | undefined): boolean =>
  have === undefined || Redacted.value(have) !== plain(want)

/**
 * Whether a set of `key` must be shown by fingerprint: unless the manifest gives a plain value AND
 * the live side is known plain (not add-on owned, a name and value that do not look secret), both
 * before and after are fingerprinted. Deciding from the desired side alone printed a live secret
 * whenever the manifest turned it into a plain value.
 */
export const isSensitiveSet = (
  key: string,
  want: Value,
  have: Redacted.Redacted<string> | undefined,
  live: ConfigLive,
): boolean =>
  Redacted.isRedacted(want) ||
  live.addonOwned.includes(key) ||
  !isKnownPlain(key, want) ||
  (have !== undefined && !isKnownPlain(key, Redacted.value(have)))

/** The keys `prune` would delete: undeclared, not set by an add-on, not required. */
const prunable = (desired: ConfigSpec, live: ConfigLive): ReadonlyArray<string> =>
  desired.prune === true ? unmanagedKeys(desired, live) : []

/**
 * Live vars the manifest does not manage: not declared, not required, not set by an add-on. By key
 * only (a value may be a secret). With `prune: true` they are planned as deletes instead.
 */
export const unmanagedKeys = (desired: ConfigSpec, live: ConfigLive): ReadonlyArray<string> =>
  Object.keys(live.vars).filter(
    (k) =>
      !Object.hasOwn(desired.vars, k) &&
      !live.addonOwned.includes(k) &&
      !(desired.required ?? []).includes(k),
  )

/** Unmanaged vars are reported on every plan, as undeclared add-ons are; never their values. */
export const configWarnings = (desired: ConfigSpec, live: ConfigLive): ReadonlyArray<string> => {
  const keys = desired.prune === true ? [] : [...unmanagedKeys(desired, live)].sort()
  return keys.length === 0
    ? []
    : [
        `config var(s) set on ${live.app} but not in the manifest: ${keys.join(", ")}; left alone ` +
          "(declare them in config.vars, or set config.prune: true to delete them)",
      ]
}

/** Pure: the batch of writes the manifest calls for. */
export const configBatch = (desired: ConfigSpec, live: ConfigLive): ConfigBatch => {
  const set: Record<string, Value> = {}
  for (const [k, v] of Object.entries(desired.vars)) {
    if (!live.addonOwned.includes(k) && differs(v, liveValue(live, k))) set[k] = v
  }
  return { set, unset: prunable(desired, live) }
}

/**
 * Declared vars an add-on sets, and required keys that are missing: an error, unless an earlier wave
 * of this plan provisions add-ons (which set vars), when it is a warning checked again once they exist.
 */
const planProblems = (desired: ConfigSpec, live: ConfigLive, view: PlanView): ReadonlyArray<DiffProblem> => {
  const problems: Array<DiffProblem> = []
  if (live.clashes.length > 0)
    problems.push({
      key: "vars",
      message: `config.vars declares vars that add-ons set: ${live.clashes.join(", ")}; remove them from config.vars`,
    })
  const missing = (desired.required ?? []).filter(
    (k) => !Object.hasOwn(live.vars, k) && !Object.hasOwn(desired.vars, k),
  )
  if (missing.length === 0) return problems
  const provisioning = view.earlier.some((s) => s.wave === "addons" && s.action !== "delete")
  problems.push(
    provisioning
      ? {
          key: "(required)",
          severity: "warning",
          message: `required config vars not set yet: ${missing.join(", ")} (expected from the add-ons this plan provisions; checked again once they exist)`,
        }
      : {
          key: "(required)",
          message: `required config vars are missing: ${missing.join(", ")} (declare them in config.vars, or add the add-on that sets them)`,
        },
  )
  return problems
}

const groupAction = (actions: ReadonlyArray<Action>): Action =>
  actions.every((a) => a === actions[0]) ? (actions[0] ?? "update") : "update"

/** Pure: one group step for the batch (a member per changed key), and the problems found. */
export const diffConfig = (
  desired: ConfigSpec,
  live: ConfigLive,
  view: PlanView = emptyView,
): DiffResult<ConfigChange> => {
  const batch = configBatch(desired, live)
  const prunes = batch.unset.length > 0
  const sets = Object.entries(batch.set).map(([key, want]): PlannedMember => {
    const have = liveValue(live, key)
    const sensitive = isSensitiveSet(key, want, have, live)
    return {
      key,
      action: have === undefined ? "create" : "update",
      ...(have === undefined ? {} : { before: sensitive ? have : Redacted.value(have) }),
      after: sensitive && !Redacted.isRedacted(want) ? Redacted.make(want) : want,
      sensitive,
      reason: have === undefined ? "declared in the manifest, not set on the app" : "the value differs",
    }
  })
  const unsets = batch.unset.map((key): PlannedMember => {
    const have = liveValue(live, key)
    return {
      key,
      action: "delete",
      ...(have === undefined ? {} : { before: have }),
      sensitive: true,
      destructive: true,
      reason: "not declared in the manifest and prune is on",
    }
  })
  const members = [...sets, ...unsets].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  const group: ReadonlyArray<PlannedChange<ConfigChange>> =
    members.length === 0
      ? []
      : [
          {
            key: "vars",
            action: groupAction(members.map((m) => m.action)),
            destructive: prunes,
            reason: `${members.length} config change(s), applied together in one PATCH (one release)`,
            members,
            change: { app: live.app, batch },
          },
        ]
  return { changes: group, problems: planProblems(desired, live, view) }
}
