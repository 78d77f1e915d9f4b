/**
 * Fixed plans for the renderer golden tests: every action, secrets by fingerprint, record values,
 * a destructive scale-down, notes, markdown-hostile text, a group (config vars) and a warning.
 */
import { fingerprintSecret } from "../../plan/fingerprint.ts"
import { Plan } from "../../plan/Plan.ts"
import { Problem } from "../../plan/Problem.ts"
import { SensitiveValue, Step, StepMember } from "../../plan/Step.ts"

/** Secret values that must never appear in any rendered output. */
export const rawSecrets = [
  "jwt-old-DO-NOT-PRINT",
  "jwt-new-DO-NOT-PRINT",
  "https://key@sentry.example/42",
] as const
const secret = (raw: string) => new SensitiveValue({ fingerprint: fingerprintSecret("fixture-key", raw) })
export const jwtOld = secret(rawSecrets[0])
export const jwtNew = secret(rawSecrets[1])
export const sentryDsn = secret(rawSecrets[2])

const step = (
  fields: Omit<ConstructorParameters<typeof Step>[0], "sensitive" | "destructive"> & {
    readonly sensitive?: boolean
    readonly destructive?: boolean
  },
) => new Step({ sensitive: false, destructive: false, ...fields })

export const steps = {
  stack: step({
    address: "app/stack",
    plugin: "app",
    wave: "app",
    action: "update",
    before: "heroku-22",
    after: "heroku-24",
    reason: "stack differs from the manifest",
  }),
  papertrail: step({
    address: "addons/papertrail",
    plugin: "addons",
    wave: "addons",
    action: "delete",
    before: "papertrail:choklad",
    destructive: true,
    reason: "on the app but not in the manifest (policy.prune is on)",
  }),
  redis: step({
    address: "addons/redis",
    plugin: "addons",
    wave: "addons",
    action: "replace",
    before: "heroku-redis:mini",
    after: "heroku-redis:premium-0",
    destructive: true,
    reason: "the plan cannot change in place",
    notes: ["the new add-on starts empty; cached data is lost"],
  }),
  appName: step({ address: "config/APP_NAME", plugin: "config", wave: "config", action: "noop", reason: "" }),
  jwt: step({
    address: "config/JWT_SECRET",
    plugin: "config",
    wave: "config",
    action: "update",
    before: jwtOld,
    after: jwtNew,
    sensitive: true,
    reason: "value from fromEnv changed",
  }),
  logFilter: step({
    address: "config/LOG_FILTER",
    plugin: "config",
    wave: "config",
    action: "update",
    before: "level>=info",
    after: "level>=warn | source=`web` and everything the platform router emits while a release is in flight",
    reason: "differs from the manifest",
  }),
  sentry: step({
    address: "config/SENTRY_DSN",
    plugin: "config",
    wave: "config",
    action: "create",
    after: sentryDsn,
    sensitive: true,
    reason: "in the manifest, not on the app",
  }),
  concurrency: step({
    address: "config/WEB_CONCURRENCY",
    plugin: "config",
    wave: "config",
    action: "create",
    after: 4,
    reason: "in the manifest, not on the app",
  }),
  backup: step({
    address: "backup/pre-release",
    plugin: "backup",
    wave: "backup",
    action: "run",
    reason: "migrations are pending; capture with `pg:backups:capture`",
    notes: ["migrations run only after the capture is verified"],
  }),
  migrate: step({
    address: "migrations/20261101_add_orders",
    plugin: "migrations",
    wave: "migrations",
    action: "run",
    reason: "pending migration",
    notes: ["runs outside a transaction"],
  }),
  clock: step({
    address: "formation/clock",
    plugin: "formation",
    wave: "formation",
    action: "update",
    before: { quantity: 1, size: "basic" },
    after: { quantity: 0, size: "basic" },
    destructive: true,
    reason: "scale to the manifest",
  }),
  web: step({
    address: "formation/web",
    plugin: "formation",
    wave: "formation",
    action: "update",
    before: { quantity: 1, size: "basic" },
    after: { quantity: 2, size: "standard-1x" },
    reason: "scale to the manifest",
  }),
  worker: step({
    address: "formation/worker",
    plugin: "formation",
    wave: "formation",
    action: "create",
    after: { quantity: 1, size: "standard-1x" },
    reason: "in the manifest, not running",
  }),
} as const

const member = (s: Step) =>
  new StepMember({
    address: s.address,
    action: s.action,
    ...(s.before === undefined ? {} : { before: s.before }),
    ...(s.after === undefined ? {} : { after: s.after }),
    sensitive: s.sensitive,
    destructive: s.destructive,
    reason: s.reason,
  })

/** The config vars as the config plugin plans them: one group, applied in one PATCH. */
export const configGroup = step({
  address: "config/vars",
  plugin: "config",
  wave: "config",
  action: "update",
  reason: "4 config change(s), applied together in one PATCH (one release)",
  members: [steps.jwt, steps.logFilter, steps.sentry, steps.concurrency].map(member),
})

export const base = {
  kind: "plan",
  formatVersion: 2,
  env: "production",
  manifest: { file: "reconcile.yaml", digest: "sha256:3f1c0e9a" },
  createdAt: "2026-11-21T18:00:00.000Z",
  live: { fingerprint: "9c2e41d07a55", nonce: "0f1e2d3c4b5a69788796a5b4c3d2e1f0" },
} as const

export const plan = new Plan({
  ...base,
  steps: [
    steps.stack,
    steps.papertrail,
    steps.redis,
    steps.appName,
    configGroup,
    steps.backup,
    steps.migrate,
    steps.clock,
    steps.web,
    steps.worker,
  ],
  warnings: ["config var LEGACY_TOKEN is on the app but not in the manifest; set policy.prune to remove it"],
})

export const emptyPlan = new Plan({ ...base, steps: [steps.appName], warnings: [] })

/** A plan that cannot be applied: a blocked migration (error) and a required key still to come (warning). */
export const problemPlan = new Plan({
  ...base,
  steps: [steps.stack, steps.migrate],
  warnings: [],
  problems: [
    new Problem({
      address: "migrations/20260110_add_index",
      plugin: "migrations",
      severity: "error",
      message:
        "failed earlier and is not resolved: fix it, then run reconcile migrations resolve --rolled-back 20260110_add_index --env production",
    }),
    new Problem({
      address: "config/(required)",
      plugin: "config",
      severity: "warning",
      message: "required config vars not set yet: REDIS_URL (expected from the add-ons this plan provisions)",
    }),
  ],
})

export const smallPlan = new Plan({
  ...base,
  steps: [steps.stack, steps.redis, steps.migrate, steps.web],
  warnings: [],
})
