/**
 * Chaos: seeds of injected faults (5xx per route, 429 bursts, dropped connections, commits whose
 * answer is lost) during a full apply from nothing — app, add-ons with a real Postgres, an attachment
 * of another app's add-on, config with a canary secret, Heroku backup, migrations, reference data, a
 * release and its formation. Every third seed then removes the attachment and applies with
 * allowDestroy under faults (the detach). Every seed converges to the manifest, with no duplicate
 * add-on or attachment, the owner's add-on untouched, and exactly the fault-free run's releases.
 *
 * The 50 seeds run in two files of 25 (chaos.test.ts: 1-25, chaosMore.test.ts: 26-50), each with its
 * own fault-free run to compare with: the runs are CPU work in the test process (50 in-process
 * applies and simulators), so two files share it between the two test workers.
 */
import { afterAll, describe, expect, it } from "vitest"
import type { FaultConfig } from "../../sim/index.ts"
import { testPlugins as plugins } from "../stand-ins/plugins.ts"
import { reconcile } from "../support/engine.ts"
import { startSim } from "../support/heroku.ts"
import { makeOwner, type Observed, observe, owner, releaseLog, sharedAddon } from "./chaosObserve.ts"
import { canaries, expectNoCanary, pool, renderings, simServices } from "./support.ts"

const dir = "test/fixtures/reliability/chaos"
/** The whole file's budget; RELIABILITY_TIMEOUT_MS raises it on a slow or shared machine. */
const timeoutMs = Number(process.env.RELIABILITY_TIMEOUT_MS ?? 300_000)
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

/** The detach phase: the same faults, and every detach's answer is lost (the server did detach). */
const detachFaults: FaultConfig = {
  ...faults,
  commitThenDrop: [...(faults.commitThenDrop ?? []), { route: "DELETE /addon-attachments/*", rate: 1 }],
}

/** Seeds that also run the detach phase (the fault-free run always does). */
const detaches = (seed: number | undefined) => seed === undefined || seed % 3 === 0

/** One apply under faults, then a fault-free dry-run (which must plan nothing), and what it left. */
interface Phase extends Observed {
  readonly converged: boolean
  /** Add-on steps (attach, detach) that did not succeed: a converged run may still exit 1 for one. */
  readonly failed: ReadonlyArray<string>
  /** Steps a fault-free dry-run right after still plans (must be none). */
  readonly drift: ReadonlyArray<string>
}

/** What a seed left behind, compared with the fault-free run. */
interface Outcome {
  readonly attached: Phase
  /** After removing the attach entry and applying with allowDestroy (every other seed). */
  readonly detached?: Phase
  readonly faultsSeen: number
  /** Mutations the server committed but whose answer it dropped. */
  readonly lostCommits: number
  /** Faults on the detach's DELETE (every attempt has one). */
  readonly detachFaulted: number
  readonly failures: string
}

/** One seed's run (the fault-free one without a seed); every output goes to `captured`. */
const scenario = async (
  seed: number | undefined,
  detach: boolean,
  captured: Array<string>,
): Promise<Outcome> => {
  const logs: Array<string> = []
  const sim = await startSim({ provisionDelayMs: 30, onError: () => {}, onNotice: (m) => logs.push(m) })
  const failures: Array<string> = []
  const phase = async (env: string, fault: FaultConfig | undefined): Promise<Phase> => {
    const run = (dryRun: boolean) =>
      reconcile({
        plugins,
        dir,
        env,
        layer: simServices(sim, logs),
        secrets: canaries,
        dryRun,
        allowDestroy: env === "detached",
      })
    if (fault !== undefined && seed !== undefined) sim.setFaults(fault, seed)
    const applied = await run(false)
    sim.setFaults({})
    const check = await run(true)
    captured.push(...renderings(applied), ...renderings(check))
    const failed = (applied.summary?.results ?? []).filter((r) => r.status !== "succeeded")
    failures.push(`${env}:`, ...failed.map((r) => `${r.address} ${r.status}: ${r.message ?? ""}`))
    return {
      converged: applied.summary?.converged ?? false,
      failed: failed.filter((r) => r.address.startsWith("addons/")).map((r) => `${r.address} ${r.status}`),
      drift: check.plan.steps.map((s) => `${s.action} ${s.address}`),
      ...(await observe(sim)),
    }
  }
  try {
    await makeOwner(sim)
    const attached = await phase("full", faults)
    const first = sim.requestLog().length
    const detached = detach ? await phase("detached", detachFaults) : undefined
    const faulted = sim.requestLog().filter((e) => e.fault !== null)
    return {
      attached,
      ...(detached === undefined ? {} : { detached }),
      faultsSeen: faulted.length,
      lostCommits: faulted.filter((e) => e.fault === "commit_then_drop").length,
      detachFaulted: sim
        .requestLog()
        .slice(first)
        .filter((e) => e.fault !== null && e.method === "DELETE").length,
      failures: [...failures, ...releaseLog(sim), ...logs.filter((l) => l.includes("WARN"))].join("\n"),
    }
  } finally {
    captured.push(...logs)
    await sim.close()
  }
}

const converged = { converged: true, failed: [], drift: [] }
const environment = [
  "domain www.chaos.example.com",
  "drain https://logs.example.com/drain/chaos",
  "feature preboot",
  // one pipeline (a retried create must not make a second)
  "pipeline nails-chaos-line: staging",
]
const ownerUntouched = [
  `addon ${sharedAddon} heroku-redis:mini provisioned`,
  "attachment REDIS",
  "config REDIS_URL",
  "REDIS_URL is the add-on's: true",
  "releases 2", // its initial release and its add-on's attachment
]

/**
 * The suite for seeds `first`..`last`. RELIABILITY_SEED=n replays one seed (in the file whose range
 * holds it; the other file's test is skipped).
 */
export const chaosSuite = (first: number, last: number): void => {
  const range = Array.from({ length: last - first + 1 }, (_, i) => first + i)
  const replay = process.env.RELIABILITY_SEED
  const seeds = replay ? range.filter((s) => s === Number(replay)) : range
  describe("chaos: a full apply, then a detach, under injected faults", () => {
    // per suite, not per module: the forks keep this module loaded from one test file to the next
    const captured: Array<string> = []
    afterAll(() => expectNoCanary(captured, "chaos"))
    it.skipIf(seeds.length === 0)(
      `converges for seeds ${first}-${last} to the manifest, no duplicate add-on or attachment, the fault-free releases`,
      async () => {
        // all at once (the fault-free one too), each with its own simulator; every third seed
        // detaches too
        const runs = [undefined, ...seeds]
        const outcomes = await pool(runs, runs.length, async (seed) => ({
          seed,
          ...(await scenario(seed, detaches(seed), captured)),
        }))
        const [clean, ...faulted] = outcomes
        if (clean === undefined) throw new Error("no fault-free run")
        expect(clean, clean.failures).toMatchObject({
          attached: {
            ...converged,
            addons: ["heroku-postgresql:essential-0", "heroku-redis:mini"],
            attached: [`SHARED_CACHE=${owner}/${sharedAddon}`],
            owner: ownerUntouched,
            config: {
              NODE_ENV: "production",
              LOG_LEVEL: "info",
              JWT_SECRET_OK: "true",
              SHARED_CACHE_URL: "owner's: true",
            },
            formation: ["web:2:Standard-1X", "worker:1:Basic"],
            migrations: ["20261101090000_init:true:true"],
            environment,
          },
          detached: {
            ...converged,
            addons: ["heroku-postgresql:essential-0", "heroku-redis:mini"],
            attached: [],
            owner: ownerUntouched,
            config: { SHARED_CACHE_URL: "unset" },
            environment,
          },
          faultsSeen: 0,
        })
        expect(clean.attached.referenceRows).toBeGreaterThan(0)
        // the detach is one release more, and nothing else changes
        expect(clean.detached?.releases).toBe(clean.attached.releases + 1)
        for (const { seed, failures, faultsSeen: _, lostCommits: __, detachFaulted, ...outcome } of faulted) {
          const expected = {
            attached: clean.attached,
            ...(detaches(seed) ? { detached: clean.detached } : {}),
          }
          expect({ seed, ...outcome }, `seed ${seed}:\n${failures}`).toEqual({ seed, ...expected })
          // every DELETE of the detach phase is faulted: the detach ran under faults, not beside them
          if (detaches(seed)) expect(detachFaulted, `seed ${seed}`).toBeGreaterThan(0)
        }
        if (seeds.length < range.length) return // RELIABILITY_SEED=n replays one seed
        const total = (f: (o: Outcome) => number) => faulted.reduce((n, o) => n + f(o), 0)
        expect(total((o) => o.faultsSeen)).toBeGreaterThan(range.length * 3)
        expect(total((o) => o.lostCommits)).toBeGreaterThan(range.length / 2)
      },
      timeoutMs,
    )
  })
}
