/**
 * Test data and wiring for the GitHub reporter tests: plans and summaries whose secret step is
 * fingerprinted from a canary, and a reporter pointed at a fresh fake GitHub with fast limits.
 */
import * as Effect from "effect/Effect"
import { StepResult, Summary } from "../../engine/apply/Summary.ts"
import { fingerprintSecret } from "../../engine/plan/fingerprint.ts"
import { Plan } from "../../engine/plan/Plan.ts"
import { SensitiveValue, Step } from "../../engine/plan/Step.ts"
import type { Finished, ReportContext } from "../../engine/plugin/Reporter.ts"
import { type GitHubReporterOptions, makeGithubReporter } from "../../reporters/github/reporter.ts"
import { type FakeGitHub, startFakeGitHub } from "../support/fakeGitHub.ts"

/** A secret value that must never reach GitHub. */
export const canary = "CANARY-jwt-secret-8d1f6b2e"
const secret = (raw: string) => new SensitiveValue({ fingerprint: fingerprintSecret("test-key", raw) })

const steps = (drift: boolean) => [
  new Step({
    address: "config/JWT_SECRET",
    plugin: "config",
    wave: "config",
    action: drift ? "update" : "noop",
    before: secret(drift ? "old-jwt" : canary),
    after: secret(canary),
    sensitive: true,
    destructive: false,
    reason: drift ? "value from fromEnv changed" : "",
  }),
  new Step({
    address: "config/NODE_ENV",
    plugin: "config",
    wave: "config",
    action: drift ? "update" : "noop",
    before: drift ? "development" : "production",
    after: "production",
    sensitive: false,
    destructive: false,
    reason: drift ? "differs from the manifest" : "",
  }),
]

/** A plan for `env`: two pending changes (one a secret) when `drift`, else nothing to do. */
export const makePlan = (env: string, drift: boolean, createdAt = "2026-01-14T10:00:00.000Z"): Plan =>
  new Plan({
    kind: "plan",
    formatVersion: 2,
    env,
    manifest: { file: `manifests/${env}.yaml`, digest: "sha256:3f1c0e9a" },
    createdAt,
    steps: steps(drift),
    warnings: [],
    live: { fingerprint: "9c2e41d07a55", nonce: "0f1e2d3c4b5a6978" },
  })

/** The summary of applying `plan`: converged with an app URL, or a failed first step. */
export const makeSummary = (plan: Plan, ok: boolean): Summary =>
  new Summary({
    kind: "summary",
    formatVersion: 2,
    env: plan.env,
    startedAt: plan.createdAt,
    durationMs: 1_250,
    plan,
    results: plan.changes.map(
      (s, i) =>
        new StepResult({
          address: s.address,
          plugin: s.plugin,
          wave: s.wave,
          action: s.action,
          status: ok ? "succeeded" : i === 0 ? "failed" : "skipped",
          attempts: ok || i > 0 ? 1 : 3,
          durationMs: 400,
          pass: 1,
          ...(ok ? {} : i === 0 ? { message: "Heroku answered 503", reason: "Unavailable" } : {}),
        }),
    ),
    passes: 1,
    converged: ok,
    remaining: ok ? [] : plan.changes,
    warnings: [],
    outputs: ok ? { appUrl: `https://acme-${plan.env}.herokuapp.com` } : {},
  })

/** The variables GitHub Actions would set, pointed at `fake`. */
export const actionsEnv = (fake: FakeGitHub, extra: Record<string, string> = {}): Record<string, string> => ({
  GITHUB_ACTIONS: "true",
  GITHUB_API_URL: fake.url,
  GITHUB_TOKEN: fake.token,
  GITHUB_REPOSITORY: `${fake.owner}/${fake.repo}`,
  GITHUB_SERVER_URL: "https://github.example",
  GITHUB_RUN_ID: "4242",
  GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
  ...extra,
})

/** Fast limits: no spacing between writes, short waits, short timeouts. */
export const fastLimits: Partial<GitHubReporterOptions> = {
  spaceWrites: false,
  retryBaseMs: 5,
  rateLimitBaseMs: 5,
  requestTimeoutMs: 2_000,
  deadlineMs: 5_000,
}

/** A fake GitHub and a reporter reading `env` (mutable, so tests can change it between runs). */
export const setup = async (overrides: Partial<GitHubReporterOptions> = {}) => {
  const fake = await startFakeGitHub()
  const env: Record<string, string> = actionsEnv(fake)
  const reporter = makeGithubReporter({ ...fastLimits, env: () => env, ...overrides })
  const context = (mode: ReportContext["mode"], requested: ReadonlyArray<string>, name = "production") => ({
    env: name,
    mode,
    requested,
  })
  const finished = (ctx: ReportContext, outcome: Finished) =>
    Effect.runPromise(reporter.finished!(ctx, outcome))
  const started = (ctx: ReportContext, plan: Plan) => Effect.runPromise(reporter.started!(ctx, plan))
  return { fake, env, reporter, context, finished, started }
}

/** Fails when any request body sent to `fake` contains the canary. */
export const bodiesWithCanary = (fake: FakeGitHub): ReadonlyArray<string> =>
  fake.requests.filter((r) => r.body.includes(canary)).map((r) => `${r.method} ${r.path}`)
