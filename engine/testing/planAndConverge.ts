/**
 * The step/plan fixture engine tests share: a run context for a spec of fake sections, and "plan
 * it, then converge it" over fake plugins, as `reconcile --env` does minus the CLI.
 */
import * as Effect from "effect/Effect"
import { converge } from "../apply/converge.ts"
import { defaultPolicy, type ExecPolicy } from "../apply/policy.ts"
import { plan } from "../plan/planEnv.ts"
import type { RunContext } from "../plugin/Plugin.ts"
import type { Fake, FakeSpec } from "./fakePlugin.ts"

/** The run context of an apply (not a dry run) of `spec`, environment "test". */
export const ctxFor = (spec: Record<string, FakeSpec>): RunContext => ({
  env: "test",
  spec,
  manifestDir: "m",
  dryRun: false,
})

/** Plans `spec` for the fakes' plugins (fingerprint key "k"). */
export const planFor = (fakes: ReadonlyArray<Fake>, spec: Record<string, FakeSpec>) =>
  plan({
    plugins: fakes.map((f) => f.plugin),
    ctx: ctxFor(spec),
    fingerprintKey: "k",
    manifest: { file: "m.yaml", digest: "d" },
  })

/** Plans `spec`, then converges it under the default policy with `policy`'s overrides. */
export const planAndConverge = (
  fakes: ReadonlyArray<Fake>,
  spec: Record<string, FakeSpec>,
  policy: Partial<ExecPolicy> = {},
) =>
  Effect.flatMap(planFor(fakes, spec), ({ plan, planned }) =>
    converge({
      plugins: fakes.map((f) => f.plugin),
      plan,
      planned,
      ctx: ctxFor(spec),
      policy: { ...defaultPolicy, ...policy },
      fingerprintKey: "k",
    }),
  )
