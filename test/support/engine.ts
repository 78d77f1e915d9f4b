/**
 * The whole reconcile flow in-process, for plugin and end-to-end tests: load a manifest folder,
 * observe, plan, and (unless dry-run) apply and converge, with the given plugins and services.
 */
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import { converge } from "../../engine/apply/converge.ts"
import type { Summary } from "../../engine/apply/Summary.ts"
import { openSession, planSession } from "../../engine/cli/session.ts"
import { secretEnvFromRecord } from "../../engine/manifest/index.ts"
import type { Plan } from "../../engine/plan/Plan.ts"
import type { AnyPlugin } from "../../engine/plugin/Plugin.ts"

export interface ReconcileOptions<R> {
  readonly plugins: ReadonlyArray<AnyPlugin<R>>
  readonly dir: string
  readonly env: string
  readonly layer: Layer.Layer<R>
  readonly dryRun?: boolean
  readonly allowDestroy?: boolean
  /** A rollback run (`reconcile rollback`). */
  readonly rollback?: { readonly to?: number }
  /** Environment variables `fromEnv` secrets are read from. */
  readonly secrets?: Record<string, string | undefined>
}

export interface ReconcileResult {
  readonly plan: Plan
  readonly summary: Summary | undefined
}

export const reconcile = <R>(options: ReconcileOptions<R>): Promise<ReconcileResult> =>
  Effect.runPromise(
    Effect.gen(function* () {
      const dryRun = options.dryRun ?? false
      const session = yield* openSession({
        plugins: options.plugins,
        dir: options.dir,
        env: options.env,
        dryRun,
        allowDestroy: options.allowDestroy ?? false,
        rollback: options.rollback,
      })
      const key = "test-fingerprint-key"
      const { plan, planned } = yield* planSession(session, key)
      if (dryRun) return { plan, summary: undefined }
      const summary = yield* converge({ ...session, plan, planned, fingerprintKey: key })
      return { plan, summary }
    }).pipe(Effect.provide(options.layer), Effect.provide(secretEnvFromRecord(options.secrets ?? {}))),
  )
