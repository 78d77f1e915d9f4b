/**
 * One environment's row of the overview: a dry-run through the same engine entry the CLI's
 * `--dry-run` uses (openSession + planSession, never the executor, never the lock), the app's
 * current release, and its recent history. Any failure is the row's error, never the dashboard's.
 */
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import { openSession, planSession } from "../engine/cli/session.ts"
import { formatProblem, type PluginError } from "../engine/index.ts"
import type { ResourceHealth } from "../engine/plan/Health.ts"
import { flattenMembers } from "../engine/plan/Step.ts"
import type { AnyPlugin, RunContext } from "../engine/plugin/Plugin.ts"
import { plainStyle, renderPlan } from "../engine/render/index.ts"
import { recentRuns } from "../history/database.ts"
import type { RunRecord } from "../history/RunRecord.ts"
import { appNameIn } from "../services/heroku/app.ts"
import type { HerokuApi } from "../services/heroku/HerokuApi.ts"
import { currentRelease } from "../services/heroku/releases.ts"

export type SyncStatus = "in-sync" | "drifted" | "error"

export interface EnvView {
  readonly env: string
  readonly status: SyncStatus | "unchecked"
  /** Pending changes in the plan (drifted). */
  readonly changes: number
  readonly error: string | null
  /** The plan as the text renderer prints it (secrets shown as the renderer shows them). */
  readonly plan: string | null
  readonly release: string | null
  /** Per-resource health from the plan (the same data the JSON plan carries). */
  readonly health: ReadonlyArray<ResourceHealth>
  readonly history: ReadonlyArray<RunRecord>
  readonly historyNote: string | null
  readonly checkedAt: string | null
  /** Heroku requests the last check made. */
  readonly requests: number
  /** Set when the last refresh skipped this environment to stay within the rate budget. */
  readonly deferred: string | null
}

export const uncheckedView = (env: string): EnvView => ({
  env,
  status: "unchecked",
  changes: 0,
  error: null,
  plan: null,
  release: null,
  health: [],
  history: [],
  historyNote: null,
  checkedAt: null,
  requests: 0,
  deferred: null,
})

/** What a check needs from the process edge. */
export interface CheckConfig<R> {
  readonly plugins: ReadonlyArray<AnyPlugin<R>>
  /** The services of one dry-run, over the dashboard's budgeted HTTP client. */
  readonly services: (ctx: RunContext, requests: Ref.Ref<number>) => Layer.Layer<R | HerokuApi, PluginError>
  readonly fingerprintKey: string
}

const releaseOf = (spec: RunContext["spec"]) => {
  const app = appNameIn(spec)
  return app === undefined
    ? Effect.succeed(null)
    : currentRelease(app).pipe(
        Effect.map((r) => (r === null ? null : `v${r.version}`)),
        Effect.orElseSucceed(() => null),
      )
}

/** Checks one environment; never fails. */
export const checkEnv = <R>(config: CheckConfig<R>, dir: string, env: string, now: () => Date) =>
  Effect.flatMap(Ref.make(0), (requests) =>
    check(config, dir, env, now, requests).pipe(
      Effect.flatMap((view) => Effect.map(Ref.get(requests), (n): EnvView => ({ ...view, requests: n }))),
    ),
  )

const check = <R>(
  config: CheckConfig<R>,
  dir: string,
  env: string,
  now: () => Date,
  requests: Ref.Ref<number>,
) =>
  Effect.gen(function* () {
    const session = yield* openSession({
      plugins: config.plugins,
      dir,
      env,
      dryRun: true,
      allowDestroy: false,
    })
    return yield* Effect.gen(function* () {
      const { plan } = yield* planSession(session, config.fingerprintKey)
      const release = yield* releaseOf(session.ctx.spec)
      const history = yield* Effect.either(recentRuns(session.ctx, 10))
      const view: EnvView = {
        ...uncheckedView(env),
        status: plan.isEmpty ? "in-sync" : "drifted",
        // a group (all config vars in one PATCH) counts each of its members, as the plan's totals do
        changes: flattenMembers(plan.changes).length,
        plan: renderPlan(plan, "text", plainStyle),
        release,
        health: plan.health ?? [],
        history: history._tag === "Right" ? history.right : [],
        historyNote: history._tag === "Left" ? history.left.message : null,
        checkedAt: now().toISOString(),
      }
      return view
    }).pipe(Effect.provide(config.services(session.ctx, requests)))
  }).pipe(
    Effect.catchAll((e) =>
      Effect.succeed<EnvView>({
        ...uncheckedView(env),
        status: "error",
        error: e._tag === "ManifestError" ? e.problems.map(formatProblem).join("\n") : e.message,
        checkedAt: now().toISOString(),
      }),
    ),
  )
