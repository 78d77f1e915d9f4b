/**
 * Rollback as plan data (`RunContext.rollback`, from `reconcile rollback`): Heroku's rollback (a new
 * release reusing an earlier release's slug and config) to the previous eligible release or the
 * given one. The target is picked once per run (per-run state), so the re-plan after applying it is
 * empty; a target without a slug, expired or ineligible is a plan problem, refused before anything is
 * written. A rollback never touches the database: when a backup was recorded before the migrations
 * that followed the target (the `RollbackBackups` seam), the plan names it and its restore command.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import {
  type ApplyResult,
  type DiffResult,
  done,
  isPluginError,
  memo,
  PluginError,
  pending,
  type RunContext,
  RunState,
  runKey,
} from "../../engine/index.ts"
import { appNameOf } from "../../services/heroku/app.ts"
import { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { RollbackBackups } from "../../services/heroku/RollbackBackups.ts"
import { Release } from "../../services/heroku/releaseSchemas.ts"
import { currentRelease, releases } from "../../services/heroku/releases.ts"
import { ConfigVars } from "../../services/heroku/schemas.ts"
import { followRelease } from "./follow.ts"

/** Picks the target: `to`, or the newest eligible release with a slug older than the current one. */
export const rollbackTarget = (all: ReadonlyArray<Release>, to?: number): Release | PluginError => {
  const current = all.find((r) => r.current === true) ?? all.filter((r) => r.status === "succeeded").at(-1)
  if (current === undefined) return PluginError.invalid("the app has no current release")
  const target =
    to === undefined
      ? all.filter((r) => r.version < current.version && r.status === "succeeded" && r.slug !== null).at(-1)
      : all.find((r) => r.version === to)
  if (target === undefined)
    return PluginError.invalid(to === undefined ? "no earlier release to roll back to" : `no release v${to}`)
  if (target.id === current.id) return PluginError.invalid(`v${target.version} is already current`)
  if (target.status === "expired")
    return PluginError.invalid(`v${target.version} has expired and cannot be rolled back to`)
  if (target.status !== "succeeded")
    return PluginError.invalid(`v${target.version} (${target.status}) is not eligible for rollback`)
  if (target.slug === null)
    return PluginError.invalid(
      `v${target.version} has no slug (${target.description || "a release without code"}): rolling back to it would leave the app with no code`,
    )
  if (target.eligible_for_rollback === false)
    return PluginError.invalid(`v${target.version} is not eligible for rollback`)
  return target
}

export interface RollbackLive {
  readonly kind: "rollback"
  readonly app: string
  readonly current: { readonly version: number; readonly slugId: string | null } | null
  /** The release to roll back to, or why there is none. */
  readonly target: { readonly id: string; readonly version: number; readonly slugId: string } | string
  readonly restoreCommand: string | null
  /** The config var keys the rollback changes (never their values), or null when not read. */
  readonly configChanges: ReadonlyArray<string> | null
  /** The release this run's rollback created, once it has been applied. */
  readonly made: number | null
}

export interface RollbackChange {
  readonly kind: "rollback"
  readonly app: string
  readonly from: number | null
  readonly targetId: string
  readonly targetVersion: number
  readonly restoreCommand: string | null
}

const targetKey = runKey<RollbackLive["target"]>("release.rollbackTarget")
const madeKey = runKey<{ readonly id: string; readonly version: number }>("release.rollbackMade")

const restoreFor = (app: string, version: number) =>
  Effect.gen(function* () {
    const backups = yield* Effect.serviceOption(RollbackBackups)
    const restore = Option.isSome(backups) ? yield* backups.value.restoreCommand(app, version) : Option.none()
    return Option.getOrNull(restore)
  })

/**
 * What a rollback does to the config vars, by key only: Heroku restores the target release's whole
 * map, so a key is added, removed or changed. Values are compared, never shown.
 */
export const configChanges = (
  now: Readonly<Record<string, string>>,
  then: Readonly<Record<string, string>>,
): ReadonlyArray<string> =>
  [...new Set([...Object.keys(now), ...Object.keys(then)])].sort().flatMap((key) => {
    const a = Object.hasOwn(now, key) ? now[key] : undefined
    const b = Object.hasOwn(then, key) ? then[key] : undefined
    if (a === b) return []
    if (a === undefined) return [`${key} (added back)`]
    if (b === undefined) return [`${key} (removed)`]
    return [`${key} (changed)`]
  })

const configNote = (version: number, changes: ReadonlyArray<string> | null): string =>
  changes === null
    ? `config vars return to v${version}'s (Heroku keeps each release's config); the formation is unchanged`
    : changes.length === 0
      ? `config vars: no change (v${version}'s are the same); the formation is unchanged`
      : `config vars return to v${version}'s, by key: ${changes.join(", ")}; the formation is unchanged`

/** Both config maps, read at once: what is set now and what the target release had. */
const readConfigChanges = (app: string, version: number) =>
  Effect.flatMap(HerokuApi, (api) =>
    Effect.all(
      [
        api.get(`/apps/${app}/config-vars`, ConfigVars),
        api.get(`/apps/${app}/releases/${version}/config-vars`, ConfigVars),
      ],
      { concurrency: "unbounded" },
    ),
  ).pipe(Effect.map(([now, then]) => configChanges(now, then)))

/** The releases, the run's target (picked at the run's first observation) and what this run made. */
export const observeRollback = (
  ctx: RunContext,
): Effect.Effect<RollbackLive, PluginError, HerokuApi | RunState> =>
  Effect.gen(function* () {
    const app = yield* appNameOf(ctx, "release")
    const all = yield* releases(app)
    const target = yield* memo(
      targetKey,
      app,
      Effect.sync(() => {
        const t = rollbackTarget(all, ctx.rollback?.to)
        return isPluginError(t) ? t.detail : { id: t.id, version: t.version, slugId: t.slug?.id ?? "" }
      }),
    )
    const current = all.find((r) => r.current === true) ?? all.filter((r) => r.status === "succeeded").at(-1)
    const made = yield* Effect.flatMap(RunState, (s) => s.get(madeKey, app))
    return {
      kind: "rollback",
      app,
      current: current === undefined ? null : { version: current.version, slugId: current.slug?.id ?? null },
      target,
      restoreCommand: typeof target === "string" ? null : yield* restoreFor(app, target.version),
      configChanges:
        typeof target === "string" || Option.isSome(made)
          ? null
          : yield* readConfigChanges(app, target.version),
      made: Option.match(made, { onNone: () => null, onSome: (m) => m.version }),
    }
  })

/** One `rollback` step, nothing once this run's rollback release is current, or the refusal. */
export const diffRollback = (live: RollbackLive): DiffResult<RollbackChange> => {
  const { target, current } = live
  if (typeof target === "string")
    return {
      changes: [],
      problems: [{ key: "rollback", message: `cannot roll ${live.app} back: ${target}` }],
    }
  if (live.made !== null && (current?.version ?? 0) >= live.made) return { changes: [] }
  const from = current === null ? "(none)" : `v${current.version}`
  return {
    changes: [
      {
        key: "rollback",
        action: "update",
        before: { release: from, slug: current?.slugId ?? "(none)" },
        after: { release: `v${target.version}'s slug and config`, slug: target.slugId },
        reason: `roll ${live.app} back from ${from} to v${target.version}`,
        notes: [
          configNote(target.version, live.configChanges),
          live.restoreCommand === null
            ? `the database is not touched; no backup was recorded before migrations after v${target.version} (none ran since, or backups are off)`
            : `the database's migrations are ahead of v${target.version} and are not rolled back; the backup taken before them restores it: ${live.restoreCommand}`,
        ],
        change: {
          kind: "rollback",
          app: live.app,
          from: current?.version ?? null,
          targetId: target.id,
          targetVersion: target.version,
          restoreCommand: live.restoreCommand,
        },
      },
    ],
  }
}

/** Says what the rollback did once its release is out (the executor polls `followRelease`). */
const relabel = <R>(result: ApplyResult<R>, change: RollbackChange): ApplyResult<R> =>
  result._tag === "Pending"
    ? pending(
        result.message,
        Effect.map(result.check, (r) => relabel(r, change)),
        result.interval,
      )
    : done(
        `rolled ${change.app} back from v${change.from ?? "?"} to v${change.targetVersion}'s slug and config (${result.message ?? "released"}); the database was not touched`,
        {
          ...result.outputs,
          rolledBackTo: `v${change.targetVersion}`,
          ...(change.restoreCommand === null ? {} : { restoreCommand: change.restoreCommand }),
        },
      )

/** Creates the rollback release once per run (a second attempt follows the first one's release). */
export const applyRollback = (
  change: RollbackChange,
): Effect.Effect<ApplyResult<HerokuApi>, PluginError, HerokuApi | RunState> =>
  Effect.gen(function* () {
    const state = yield* RunState
    const made = yield* state.get(madeKey, change.app)
    if (Option.isSome(made)) return relabel(yield* followRelease(change.app, made.value.id, ""), change)
    if (change.from === null) {
      // a compensation: planned before the failure, so what is current is read now
      const now = yield* currentRelease(change.app)
      if (now?.version === change.targetVersion)
        return done(`v${change.targetVersion} is still current; nothing to roll back`, {
          rolledBackTo: `v${change.targetVersion}`,
        })
      const restoreCommand = change.restoreCommand ?? (yield* restoreFor(change.app, change.targetVersion))
      return yield* applyRollback({ ...change, from: now?.version ?? 0, restoreCommand })
    }
    const api = yield* HerokuApi
    const created = yield* api.send(
      "POST",
      `/apps/${change.app}/releases`,
      { release: change.targetId },
      Release,
    )
    yield* state.set(madeKey, { id: created.id, version: created.version }, change.app)
    return relabel(yield* followRelease(change.app, created.id, ""), change)
  })
