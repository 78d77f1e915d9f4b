/**
 * What every command does first: load and validate the environment's manifest, then work out the
 * run context, the active plugins and the effective policy. Nothing here touches a live system.
 */
import * as Effect from "effect/Effect"
import { type ExecPolicy, type PolicySpec, policyFrom } from "../apply/policy.ts"
import { type LoadedManifest, loadManifest } from "../manifest/index.ts"
import { plan } from "../plan/planEnv.ts"
import { activePlugins, rollbackPlugins } from "../plan/planner.ts"
import type { AnyPlugin, RollbackRequest, RunContext } from "../plugin/Plugin.ts"
import { checksOf, sectionsOf } from "./sections.ts"

export { checksOf, sectionsOf }

export interface Session<R> {
  readonly manifest: LoadedManifest
  readonly ctx: RunContext
  readonly plugins: ReadonlyArray<AnyPlugin<R>>
  readonly policy: ExecPolicy
}

export const openSession = <R>(options: {
  readonly plugins: ReadonlyArray<AnyPlugin<R>>
  readonly dir: string
  readonly env: string
  readonly dryRun: boolean
  readonly allowDestroy: boolean
  /** A rollback run: only the plugins that take part in one (see `Plugin.inRollback`). */
  readonly rollback?: RollbackRequest | undefined
}) =>
  Effect.gen(function* () {
    const manifest = yield* loadManifest({
      dir: options.dir,
      env: options.env,
      sections: sectionsOf(options.plugins),
      checks: checksOf(options.plugins),
    })
    const ctx: RunContext = {
      env: options.env,
      spec: manifest.spec,
      manifestDir: options.dir,
      dryRun: options.dryRun,
      ...(options.rollback === undefined ? {} : { rollback: options.rollback }),
    }
    const policy = policyFrom(manifest.spec.policy as PolicySpec | undefined, options.allowDestroy)
    const session: Session<R> = {
      manifest,
      ctx,
      plugins:
        options.rollback === undefined
          ? activePlugins(options.plugins, manifest.spec)
          : rollbackPlugins(options.plugins, manifest.spec),
      policy,
    }
    return session
  })

/** The session of a one-off command (rollback, migrations resolve, ...): not a dry-run, no destroys. */
export const openEnvironment = <R>(
  plugins: ReadonlyArray<AnyPlugin<R>>,
  flags: { readonly env: string; readonly manifests: string },
) => openSession({ plugins, dir: flags.manifests, env: flags.env, dryRun: false, allowDestroy: false })

/** Observes the session's plugins and plans: what every run (dry-run or apply) starts with. */
export const planSession = <R>(session: Session<R>, key: string, nonce?: string) =>
  plan({
    plugins: session.plugins,
    ctx: session.ctx,
    fingerprintKey: key,
    manifest: { file: session.manifest.file, digest: session.manifest.digest },
    policy: session.policy,
    ...(nonce === undefined ? {} : { nonce }),
  })
