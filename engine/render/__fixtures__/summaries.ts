/**
 * Fixed apply summaries for the renderer golden tests: success with outputs, retries then failure with
 * a skipped later wave, a refused destructive change, drift that never converged, and nothing to do.
 */
import { StepResult, Summary } from "../../apply/Summary.ts"
import { Plan } from "../../plan/Plan.ts"
import type { Step } from "../../plan/Step.ts"
import { base, configGroup, emptyPlan, smallPlan, steps } from "./plans.ts"

type ResultFields = Omit<
  ConstructorParameters<typeof StepResult>[0],
  "address" | "plugin" | "wave" | "action"
>
const result = (s: Step, fields: ResultFields) =>
  new StepResult({
    address: s.address,
    plugin: s.plugin,
    wave: s.wave,
    action: s.action,
    ...(s.members === undefined ? {} : { members: s.members.map((m) => m.address) }),
    ...fields,
  })
const ok = (s: Step, durationMs: number, pass = 1) =>
  result(s, { status: "succeeded", attempts: 1, durationMs, pass, message: "done" })

const summaryBase = {
  kind: "summary",
  formatVersion: 2,
  env: "production",
  startedAt: base.createdAt,
} as const

export const summaries = {
  success: new Summary({
    ...summaryBase,
    durationMs: 131_250,
    plan: new Plan({
      ...smallPlan,
      steps: [steps.stack, steps.redis, configGroup, steps.migrate, steps.web],
    }),
    results: [
      ok(steps.stack, 850),
      ok(steps.redis, 125_000),
      ok(configGroup, 410),
      ok(steps.migrate, 4_210),
      ok(steps.web, 1_234),
    ],
    passes: 1,
    converged: true,
    remaining: [],
    warnings: [],
    outputs: {
      url: "https://acme-production.herokuapp.com",
      backup: "b042 (restore: heroku pg:backups:restore b042)",
    },
  }),
  failed: new Summary({
    ...summaryBase,
    durationMs: 9_800,
    plan: smallPlan,
    results: [
      ok(steps.stack, 640),
      result(steps.redis, {
        status: "failed",
        attempts: 4,
        durationMs: 8_900,
        pass: 1,
        reason: "Unavailable",
        message: "add-on provider returned 503",
      }),
      result(steps.migrate, {
        status: "skipped",
        attempts: 0,
        durationMs: 0,
        pass: 1,
        message: "wave addons failed",
      }),
      result(steps.web, {
        status: "skipped",
        attempts: 0,
        durationMs: 0,
        pass: 1,
        message: "wave addons failed",
      }),
    ],
    passes: 1,
    converged: false,
    remaining: [steps.redis, steps.migrate, steps.web],
    warnings: [],
    outputs: {},
  }),
  refused: new Summary({
    ...summaryBase,
    durationMs: 2_400,
    plan: new Plan({ ...base, steps: [steps.stack, steps.papertrail], warnings: [] }),
    results: [
      ok(steps.stack, 2_350),
      result(steps.papertrail, {
        status: "refused",
        attempts: 0,
        durationMs: 0,
        pass: 1,
        message: "destructive change refused: pass --allow-destroy or set spec.policy.allowDestroy",
      }),
    ],
    passes: 1,
    converged: false,
    remaining: [steps.papertrail],
    error: "1 destructive change refused",
    warnings: [],
    outputs: {},
  }),
  drift: new Summary({
    ...summaryBase,
    durationMs: 95_000,
    plan: smallPlan,
    results: [ok(steps.stack, 900), ok(steps.web, 1_100), ok(steps.web, 1_050, 2)],
    passes: 2,
    converged: false,
    remaining: [steps.web],
    warnings: ["formation/web changed again after apply; is an autoscaler managing it?"],
    outputs: {},
  }),
  inSync: new Summary({
    ...summaryBase,
    durationMs: 700,
    plan: emptyPlan,
    results: [],
    passes: 1,
    converged: true,
    remaining: [],
    warnings: [],
    outputs: {},
  }),
} as const
