/**
 * What a chaos run left behind, read from the simulator's state and the app's database: the fixture
 * app's add-ons, attachments of the owner app's add-on, config, formation, environment, migrations
 * and reference rows, and the owner app as a whole (its add-on must never be touched).
 */
import pg from "pg"
import type { Simulator } from "../../sim/index.ts"
import { simToken } from "../support/heroku.ts"
import { herokuClient } from "../support/simClient.ts"
import { canaries } from "./support.ts"

export const app = "nails-chaos"
/** The app whose add-on the fixture attaches (`attach:` in full.yaml), made before faults start. */
export const owner = "nails-chaos-owner"
export const sharedAddon = "chaos-shared-cache"

/** The migration ledger and reference rows; a database no migration reached is reported, not thrown. */
const database = async (url: string) => {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    const found = await c.query("SELECT to_regclass('_prisma_migrations') IS NOT NULL AS ok")
    if (found.rows[0]?.ok !== true) return { migrations: ["no _prisma_migrations table"], referenceRows: 0 }
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

/** The owner app's add-ons, attachments on it, config var names and release count. */
const ownerView = (sim: Simulator) => {
  const state = sim.state()
  const live = state.apps.find((a) => a.name === owner)
  const addons = state.addons.filter((a) => a.appId === live?.id)
  return [
    ...addons.map((a) => `addon ${a.name} ${a.service}:${a.plan} ${a.state}`),
    ...state.attachments.filter((at) => at.appId === live?.id).map((at) => `attachment ${at.name}`),
    `config ${Object.keys(live?.config ?? {})
      .sort()
      .join(",")}`,
    `REDIS_URL is the add-on's: ${addons.some((a) => a.url === live?.config.REDIS_URL)}`,
    `releases ${sim.counters().releasesByApp[owner] ?? 0}`,
  ]
}

/** The fixture app's attachments of add-ons other apps own, as `AS=owner/addon` (a duplicate shows twice). */
const attachedHere = (sim: Simulator, appId: string | undefined) => {
  const state = sim.state()
  return state.attachments
    .filter((at) => at.appId === appId)
    .flatMap((at) => {
      const addon = state.addons.find((a) => a.id === at.addonId)
      const by = state.apps.find((a) => a.id === addon?.appId)
      return addon === undefined || addon.appId === appId ? [] : [`${at.name}=${by?.name}/${addon.name}`]
    })
    .sort()
}

export const observe = async (sim: Simulator) => {
  const state = sim.state()
  const live = state.apps.find((a) => a.name === app)
  const config = live?.config ?? {}
  const shared = state.addons.find((a) => a.name === sharedAddon)
  return {
    releases: sim.counters().releasesByApp[app] ?? 0,
    addons: state.addons
      .filter((a) => a.appId === live?.id && a.state !== "deprovisioned")
      .map((a) => `${a.service}:${a.plan}`)
      .sort(),
    attached: attachedHere(sim, live?.id),
    owner: ownerView(sim),
    config: {
      NODE_ENV: config.NODE_ENV,
      LOG_LEVEL: config.LOG_LEVEL,
      JWT_SECRET_OK: String(config.JWT_SECRET === canaries.JWT_SECRET),
      SHARED_CACHE_URL:
        config.SHARED_CACHE_URL === undefined
          ? "unset"
          : `owner's: ${config.SHARED_CACHE_URL === shared?.url}`,
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

export type Observed = Awaited<ReturnType<typeof observe>>

/** The app's releases, as `heroku releases` lists them. */
export const releaseLog = (sim: Simulator): ReadonlyArray<string> => {
  const state = sim.state()
  const appId = state.apps.find((a) => a.name === app)?.id
  return state.releases.filter((r) => r.appId === appId).map((r) => `v${r.version} ${r.description}`)
}

/** The owner app and its add-on, made before faults start (a fault-free set-up, as a user's would be). */
export const makeOwner = async (sim: Simulator) => {
  const api = herokuClient(sim.url, simToken)
  for (const [path, body] of [
    ["/apps", { name: owner }],
    [`/apps/${owner}/addons`, { plan: "heroku-redis:mini", name: sharedAddon }],
  ] as const) {
    const r = await api.call("POST", path, { body })
    if (r.status !== 201) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`)
  }
}
