/** Fixed health for the renderer golden tests: every state, a crashed process type, an old backup. */
import { StepResult, Summary } from "../../apply/Summary.ts"
import { ResourceHealth } from "../../plan/Health.ts"
import { Plan } from "../../plan/Plan.ts"
import { base, steps } from "./plans.ts"

export const health = [
  new ResourceHealth({
    resource: "addons/DATABASE",
    plugin: "addons",
    state: "healthy",
    detail: "provisioned (heroku-postgresql:standard-0)",
    facts: { name: "postgresql-curved-12345", plan: "heroku-postgresql:standard-0", state: "provisioned" },
  }),
  new ResourceHealth({
    resource: "addons/REDIS",
    plugin: "addons",
    state: "progressing",
    detail: "provisioning (heroku-redis:premium-0)",
  }),
  new ResourceHealth({
    resource: "migrations/level",
    plugin: "migrations",
    state: "healthy",
    detail: "at 20260110_add_index, 12 applied",
    facts: { level: "20260110_add_index", applied: 12, pending: 0, failed: 0 },
  }),
  new ResourceHealth({
    resource: "dynos/web",
    plugin: "health",
    state: "unhealthy",
    detail: "1 crashed, 1 up of 2",
    facts: { up: 1, starting: 0, crashed: 1, other: 0, wanted: 2 },
  }),
  new ResourceHealth({
    resource: "dynos/worker",
    plugin: "health",
    state: "unknown",
    detail: "could not list dynos: HTTP 503 | retry later",
  }),
  new ResourceHealth({
    resource: "backup/latest",
    plugin: "health",
    state: "unhealthy",
    detail: "b041 is 30h05m old (limit 26h)",
    facts: { backup: "b041", ageSeconds: 108_300, maxAgeSeconds: 93_600 },
  }),
]

/** In sync, but a dyno crashed and the backup is too old. */
export const unhealthyPlan = new Plan({ ...base, steps: [steps.appName], warnings: [], health })

/** With changes and every resource healthy. */
export const healthyPlan = new Plan({
  ...base,
  steps: [steps.stack],
  warnings: [],
  health: health.filter((h) => h.state === "healthy"),
})

export const unhealthySummary = new Summary({
  kind: "summary",
  formatVersion: 2,
  env: "production",
  startedAt: base.createdAt,
  durationMs: 4_200,
  plan: healthyPlan,
  results: [
    new StepResult({
      address: steps.stack.address,
      plugin: "app",
      wave: "app",
      action: "update",
      status: "succeeded",
      attempts: 1,
      durationMs: 4_000,
      pass: 1,
    }),
  ],
  passes: 1,
  converged: true,
  remaining: [],
  warnings: [],
  outputs: {},
  health,
})
