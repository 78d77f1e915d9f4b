/**
 * The plugin contract: observe → diff → apply, after controller-runtime's reconciler. `observe` reads
 * live state (absence is a value, not an error); `diff` is pure; `apply` performs one change, must be
 * safe to run twice, and returns `Pending` for slow work instead of sleeping. Retries, timeouts and
 * polling belong to the executor.
 */
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import type { PluginError } from "../errors.ts"
import type { CheckContext, CrossCheckProblem } from "../manifest/load.ts"
import type { ManifestSection } from "../manifest/Section.ts"
import type { Action } from "../plan/Action.ts"
import type { HealthFact, HealthState } from "../plan/Health.ts"
import type { Wave } from "../plan/order.ts"
import type { Step } from "../plan/Step.ts"

/** What every plugin call gets to know about the run. */
export interface RunContext {
  readonly env: string
  /** Every decoded spec section, for plugins that read a neighbour's (e.g. required config vars). */
  readonly spec: Readonly<Record<string, unknown>>
  readonly manifestDir: string
  readonly dryRun: boolean
  /** Set when the run rolls back (`reconcile rollback`, or the verification after an automatic one). */
  readonly rollback?: RollbackRequest
}

/** A rollback: to release `to` (`reconcile rollback --to vN`), else to the previous eligible release. */
export interface RollbackRequest {
  readonly to?: number | undefined
}

/** A display value as a plugin gives it; `Redacted` parts are fingerprinted by the engine. */
export type DisplayScalar = string | number | boolean | null | Redacted.Redacted<string>
export type DisplayInput = DisplayScalar | Readonly<Record<string, DisplayScalar>>

/** One member of a group change: shown on its own, applied with its group. */
export interface PlannedMember {
  /** Unique within the plugin; the engine prefixes the plugin name: `<plugin>/<key>`. */
  readonly key: string
  readonly action: Action
  readonly before?: DisplayInput
  readonly after?: DisplayInput
  readonly sensitive?: boolean
  readonly destructive?: boolean
  readonly reason: string
}

/** One change a plugin's diff wants, with its typed payload for `apply`. */
export interface PlannedChange<Change> {
  /** Unique within the plugin; the engine prefixes the plugin name: `<plugin>/<key>`. */
  readonly key: string
  readonly action: Action
  readonly before?: DisplayInput
  readonly after?: DisplayInput
  readonly sensitive?: boolean
  readonly destructive?: boolean
  readonly reason: string
  readonly notes?: ReadonlyArray<string>
  /** Makes this change a group: `apply` gets `change` once for all of them. */
  readonly members?: ReadonlyArray<PlannedMember>
  readonly change: Change
}

/**
 * Something diff found that stops the plan from being applied as it is (a blocked migration, a
 * protected add-on marked absent, a var an add-on owns, a missing required key). An `error` makes a
 * dry-run exit 1 and an apply refuse before writing anything; a `warning` is shown with them.
 */
export interface DiffProblem {
  /** What it is about, within the plugin (`<plugin>/<key>` in the plan); the plugin itself when absent. */
  readonly key?: string
  readonly severity?: "error" | "warning"
  readonly message: string
}

/** One live resource's health as a plugin reports it; the engine adds the plugin's name. */
export interface HealthReport {
  /** What it is about, e.g. `dynos/web`; unique within the plan. */
  readonly resource: string
  readonly state: HealthState
  readonly detail: string
  readonly facts?: Readonly<Record<string, HealthFact>>
}

/** What a diff returns: the changes it wants and the problems it found. */
export interface DiffResult<Change> {
  readonly changes: ReadonlyArray<PlannedChange<Change>>
  readonly problems?: ReadonlyArray<DiffProblem>
}

/**
 * The rest of the plan as a diff sees it: the steps of earlier waves (still to apply in this plan;
 * empty once they have been applied) and, for a plugin with `seesLaterWaves`, the steps of later
 * waves. Plugins learn about each other from here, never by observing one another.
 */
export interface PlanView {
  readonly earlier: ReadonlyArray<Step>
  readonly later: ReadonlyArray<Step>
}

export const emptyView: PlanView = { earlier: [], later: [] }

export type ApplyResult<R> = Done | Pending<R>

export interface Done {
  readonly _tag: "Done"
  readonly message?: string
  /** Facts for the summary's outputs (an app URL, a backup id). Never secrets. */
  readonly outputs?: Readonly<Record<string, string>>
}

/**
 * Slow work under way: the executor calls `check` until Done or its deadline, waiting short at first
 * and backing off. `interval` is only for a server's hint of when to look again (Polling-Interval).
 */
export interface Pending<R> {
  readonly _tag: "Pending"
  readonly message: string
  readonly check: Effect.Effect<ApplyResult<R>, PluginError, R>
  readonly interval?: Duration.DurationInput
}

export const done = (message?: string, outputs?: Readonly<Record<string, string>>): Done => ({
  _tag: "Done",
  ...(message === undefined ? {} : { message }),
  ...(outputs === undefined ? {} : { outputs }),
})

export const pending = <R>(
  message: string,
  check: Effect.Effect<ApplyResult<R>, PluginError, R>,
  interval?: Duration.DurationInput,
): Pending<R> => ({ _tag: "Pending", message, check, ...(interval === undefined ? {} : { interval }) })

/** A plugin's `landed`: what a lost answer's write left, or None when it did not land. */
export type LandedCheck<Change, R> = (
  change: Change,
  ctx: RunContext,
) => Effect.Effect<Option.Option<ApplyResult<R>>, PluginError, R>

export interface Plugin<Desired, Live, Change, R = never> {
  readonly name: string
  /** The spec key this plugin owns and the schema of that section. */
  readonly section: ManifestSection
  readonly wave: Wave
  /**
   * Steps apply one at a time, in plan order, and the first failure skips the rest (migrations).
   * Otherwise the steps of a wave may run concurrently.
   */
  readonly ordered?: boolean
  /** Diffed after every other plugin, with the later waves' steps in its `PlanView` (backup). */
  readonly seesLaterWaves?: boolean
  /**
   * Whether the plugin takes part in a rollback run (`RunContext.rollback`): `always` (the release
   * plugin: a rollback needs only the app), `declared` (only when its section is in the manifest);
   * without it the plugin sits a rollback out.
   */
  readonly inRollback?: "always" | "declared"
  /**
   * What undoes `change` when it, or a later step of the same pass, fails (release.onFailure:
   * rollback): a change of this plugin, run by the executor like any step (retries, timeout,
   * polling) and followed by the rollback's health verification. None when there is nothing to undo.
   */
  readonly compensate?: (change: Change, ctx: RunContext) => PlannedChange<Change> | undefined
  readonly observe: (desired: Desired, ctx: RunContext) => Effect.Effect<Live, PluginError, R>
  /** Pure. A plain array is a diff without problems. */
  readonly diff: (
    desired: Desired,
    live: Live,
    ctx: RunContext,
    view?: PlanView,
  ) => ReadonlyArray<PlannedChange<Change>> | DiffResult<Change>
  readonly apply: (change: Change, ctx: RunContext) => Effect.Effect<ApplyResult<R>, PluginError, R>
  /**
   * Reads whether `change` already took effect. The executor asks it before a retry, and only after
   * an attempt failed in a way that may have hidden a write the server made (`mayHaveLanded`: a
   * timeout or an outage answer such as a 5xx or a dropped connection); never on the first attempt,
   * never after a refusal (429, 4xx). `Some` ends the step as found applied without sending again (a
   * `Pending` is polled like apply's); `None` lets the retry send. Only reads; its failures retry like
   * an attempt's. Without it every retry calls `apply` again, which must then be safe to repeat.
   */
  readonly landed?: LandedCheck<Change, R>
  /** Things the user should know even when nothing changes (e.g. "backups are disabled"). */
  readonly warnings?: (desired: Desired, live: Live, ctx: RunContext) => ReadonlyArray<string>
  /** Pure: the health of the live resources this plugin observed, at `now` (the plan's time). */
  readonly health?: (desired: Desired, live: Live, ctx: RunContext, now: Date) => ReadonlyArray<HealthReport>
  /**
   * Pure: the part of the observation a saved plan's fingerprint covers (default: all of it). Leave
   * out readings that move on their own (a dyno's state, what a health URL answers): a dyno going
   * starting → up between `--out` and `apply FILE` must not make the plan stale.
   */
  readonly fingerprinted?: (live: Live) => unknown
  /** Manifest checks across sections, run at load time and reported as file:line:col problems. */
  readonly validate?: (
    spec: Readonly<Record<string, unknown>>,
    where: CheckContext,
  ) => ReadonlyArray<CrossCheckProblem>
}

/**
 * A plugin with its types hidden, so a registry can hold plugins of different shapes. Only
 * `definePlugin` builds one, which keeps each plugin's desired, live and change types consistent.
 */
export interface AnyPlugin<R> {
  readonly name: string
  readonly section: ManifestSection
  readonly wave: Wave
  readonly ordered?: boolean
  readonly seesLaterWaves?: boolean
  readonly inRollback?: "always" | "declared"
  readonly compensate?: (change: unknown, ctx: RunContext) => PlannedChange<unknown> | undefined
  readonly observe: (desired: unknown, ctx: RunContext) => Effect.Effect<unknown, PluginError, R>
  readonly diff: (
    desired: unknown,
    live: unknown,
    ctx: RunContext,
    view?: PlanView,
  ) => ReadonlyArray<PlannedChange<unknown>> | DiffResult<unknown>
  readonly apply: (change: unknown, ctx: RunContext) => Effect.Effect<ApplyResult<R>, PluginError, R>
  readonly landed?: LandedCheck<unknown, R>
  readonly warnings?: (desired: unknown, live: unknown, ctx: RunContext) => ReadonlyArray<string>
  readonly health?: (
    desired: unknown,
    live: unknown,
    ctx: RunContext,
    now: Date,
  ) => ReadonlyArray<HealthReport>
  readonly fingerprinted?: (live: unknown) => unknown
  readonly validate?: (
    spec: Readonly<Record<string, unknown>>,
    where: CheckContext,
  ) => ReadonlyArray<CrossCheckProblem>
}

export const definePlugin = <Desired, Live, Change, R>(
  plugin: Plugin<Desired, Live, Change, R>,
): AnyPlugin<R> => plugin as unknown as AnyPlugin<R>

/** A diff's result in its full form (a plain array is a diff without problems). */
export const diffResultOf = <C>(out: ReadonlyArray<PlannedChange<C>> | DiffResult<C>): DiffResult<C> =>
  Array.isArray(out) ? { changes: out as ReadonlyArray<PlannedChange<C>> } : (out as DiffResult<C>)
