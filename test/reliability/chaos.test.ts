/**
 * Chaos: 50 seeds of injected faults (5xx per route, 429 bursts, dropped connections, commits whose
 * answer is lost) during a full apply from nothing — app, add-ons with a real Postgres, config with a
 * canary secret, Heroku backup, migrations, reference data, a release and its formation. Every seed
 * converges to the manifest, with no duplicate add-on and exactly the fault-free run's releases.
 */
import pg from "pg"
import { afterAll, describe, expect, it } from "vitest"
import type { FaultConfig, Simulator } from "../../sim/index.ts"
import { testPlugins as plugins } from "../stand-ins/plugins.ts"
import { reconcile } from "../support/engine.ts"
import { startSim } from "../support/heroku.ts"
import { canaries, expectNoCanary, pool, renderings, simServices } from "./support.ts"

const dir = "test/fixtures/reliability/chaos"
const app = "nails-chaos"
const SEEDS = 50

// Rates are per request; a release attempt makes ~6 requests, so higher rates mostly measure the
// executor's backoff (up to 16 s between late attempts) rather than anything new.
const faults: FaultConfig = {
  errors: [
    { rate: 0.02, status: 503 },
    { route: "POST /**", rate: 0.03, status: 500 },
    { route: "GET /apps/*/config-vars", rate: 0.05, status: 502 },
  ],
  rateLimitBursts: { rate: 0.01, length: 2 },
  drops: [{ rate: 0.015 }],
  commitThenDrop: [
    { route: "POST /**", rate: 0.12 },
    { route: "PATCH /**", rate: 0.12 },
    { route: "PUT /**", rate: 0.12 },
  ],
}

/** What a run left behind, compared across seeds. */
interface Outcome {
  readonly converged: boolean
  /** Steps a fault-free dry-run right after still plans (must be none). */
  readonly drift: ReadonlyArray<string>
  readonly releases: number
  readonly addons: ReadonlyArray<string>
  readonly config: Readonly<Record<string, string | undefined>>
  readonly formation: ReadonlyArray<string>
  readonly migrations: ReadonlyArray<string>
  readonly referenceRows: number
  /** Pipelines by name with this app's stage, domains, drains and features on. */
  readonly environment: ReadonlyArray<string>
  readonly faultsSeen: number
  /** Mutations the server committed but whose answer it dropped. */
  readonly lostCommits: number
  readonly failures: string
}

const captured: Array<string> = []
afterAll(() => expectNoCanary(captured, "chaos"))

const database = async (url: string) => {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    const ledger = await c.query<{ m: string }>(
      `SELECT migration_name || ':' || (finished_at IS NOT NULL) || ':' || (rolled_back_at IS NULL) AS m
       FROM _prisma_migrations ORDER BY 1`,
    )
    const rows = await c.query<{ n: number }>(
      "SELECT (SELECT count(*) FROM services) + (SELECT count(*) FROM service_categories) AS n",
    )
    return { migrations: ledger.rows.map((r) => r.m), referenceRows: Number(rows.rows[0]?.n) }
  } finally {
    await c.end()
  }
}

const observe = async (sim: Simulator) => {
  const state = sim.state()
  const live = state.apps.find((a) => a.name === app)
  const config = live?.config ?? {}
  return {
    releases: sim.counters().releasesByApp[app] ?? 0,
    addons: state.addons
      .filter((a) => a.appId === live?.id && a.state !== "deprovisioned")
      .map((a) => `${a.service}:${a.plan}`)
      .sort(),
    config: {
      NODE_ENV: config.NODE_ENV,
      LOG_LEVEL: config.LOG_LEVEL,
      JWT_SECRET_OK: String(config.JWT_SECRET === canaries.JWT_SECRET),
    },
    formation: (live?.formation ?? []).map((f) => `${f.type}:${f.quantity}:${f.size}`).sort(),
    environment: [
      ...state.pipelines.map(
        (p) =>
          `pipeline ${p.name}: ${state.couplings
            .filter((c) => c.pipelineId === p.id && c.appId === live?.id)
            .map((c) => c.stage)
            .join(",")}`,
      ),
      ...state.domains.filter((d) => d.appId === live?.id).map((d) => `domain ${d.hostname}`),
      ...state.drains.filter((d) => d.appId === live?.id).map((d) => `drain ${d.url}`),
      ...Object.entries(live?.features ?? {})
        .filter(([, on]) => on)
        .map(([name]) => `feature ${name}`),
    ].sort(),
    ...(config.DATABASE_URL === undefined
      ? { migrations: [], referenceRows: 0 }
      : await database(config.DATABASE_URL)),
  }
}

/** The app's releases, as `heroku releases` lists them. */
const releaseLog = (sim: Simulator) => {
  const state = sim.state()
  const appId = state.apps.find((a) => a.name === app)?.id
  return state.releases.filter((r) => r.appId === appId).map((r) => `v${r.version} ${r.description}`)
}

const scenario = async (seed: number | undefined): Promise<Outcome> => {
  const sim = await startSim({ provisionDelayMs: 30, onError: () => {} })
  const logs: Array<string> = []
  try {
    if (seed !== undefined) sim.setFaults(faults, seed)
    const applied = await reconcile({
      plugins,
      dir,
      env: "full",
      layer: simServices(sim, logs),
      secrets: canaries,
    })
    const faulted = sim.requestLog().filter((e) => e.fault !== null)
    sim.setFaults({})
    const check = await reconcile({
      plugins,
      dir,
      env: "full",
      layer: simServices(sim, logs),
      secrets: canaries,
      dryRun: true,
    })
    captured.push(...renderings(applied), ...renderings(check))
    const failed = (applied.summary?.results ?? []).filter((r) => r.status !== "succeeded")
    return {
      converged: applied.summary?.converged ?? false,
      drift: check.plan.steps.map((s) => `${s.action} ${s.address}`),
      ...(await observe(sim)),
      faultsSeen: faulted.length,
      lostCommits: faulted.filter((e) => e.fault === "commit_then_drop").length,
      failures: [
        ...failed.map((r) => `${r.address} ${r.status}: ${r.message ?? ""}`),
        ...releaseLog(sim),
        ...logs.filter((l) => l.includes("WARN")),
      ].join("\n"),
    }
  } finally {
    captured.push(...logs)
    await sim.close()
  }
}

describe("chaos: a full apply under injected faults", () => {
  it(`converges for ${SEEDS} seeds to the manifest, no duplicate add-on, the fault-free releases`, async () => {
    const clean = await scenario(undefined)
    expect(clean, clean.failures).toMatchObject({
      converged: true,
      drift: [],
      addons: ["heroku-postgresql:essential-0", "heroku-redis:mini"],
      config: { NODE_ENV: "production", LOG_LEVEL: "info", JWT_SECRET_OK: "true" },
      formation: ["web:2:Standard-1X", "worker:1:Basic"],
      migrations: ["20261101090000_init:true:true"],
      // one pipeline (a retried create must not make a second), one domain, one drain, preboot on
      environment: [
        "domain www.chaos.example.com",
        "drain https://logs.example.com/drain/chaos",
        "feature preboot",
        "pipeline nails-chaos-line: staging",
      ],
      faultsSeen: 0,
    })
    expect(clean.referenceRows).toBeGreaterThan(0)
    const seeds = process.env.RELIABILITY_SEED
      ? [Number(process.env.RELIABILITY_SEED)]
      : Array.from({ length: SEEDS }, (_, i) => i + 1)
    // the runs mostly wait on backoff and polling: all at once, each with its own simulator
    const outcomes = await pool(seeds, SEEDS, async (seed) => ({ seed, ...(await scenario(seed)) }))
    const { failures: _f, faultsSeen: _s, lostCommits: _l, ...expected } = clean
    for (const { seed, failures, faultsSeen: _, lostCommits: __, ...outcome } of outcomes) {
      expect({ seed, ...outcome }, `seed ${seed}:\n${failures}`).toEqual({ seed, ...expected })
    }
    if (seeds.length < SEEDS) return // RELIABILITY_SEED=n replays one seed
    const total = (f: (o: Outcome) => number) => outcomes.reduce((n, o) => n + f(o), 0)
    expect(total((o) => o.faultsSeen)).toBeGreaterThan(SEEDS * 3)
    expect(total((o) => o.lostCommits)).toBeGreaterThan(SEEDS / 2)
  }, 300_000)
})
