/**
 * An environment's resources beyond app, add-ons, config and dynos, over real HTTP: promotions stay
 * within their pipeline and copy the slug, add-ons shared across apps, add-on config options,
 * unknown plans and sizes refused with Heroku's 422, domains whose certificate moves from pending
 * to issued, log drains, faults on the new routes, and all of it surviving a restart.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, expect, test } from "vitest"
import { postgresAdminUrl } from "../test/support/postgres.ts"
import { type HerokuClient, herokuClient, tarball, waitFor } from "../test/support/simClient.ts"
import { type Simulator, startSimulator } from "./index.ts"

const dir = mkdtempSync(join(tmpdir(), "sim-env-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const options = {
  tokens: ["e"],
  stateFile: join(dir, "state.json"),
  dataDir: join(dir, "data"),
  postgres: { adminUrl: postgresAdminUrl() },
  provisionDelayMs: 0,
  acmDelayMs: 300,
}

type Obj = Record<string, unknown>
const client = (api: HerokuClient) => ({
  ok: async (method: string, path: string, body?: unknown): Promise<Obj & Obj[]> => {
    const res = await api.call(method, path, body === undefined ? {} : { body })
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300)
    return res.body as Obj & Obj[]
  },
  refused: async (method: string, path: string, body: unknown): Promise<Obj> => {
    const res = await api.call(method, path, { body })
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(422)
    expect((res.body as Obj).id).toBe("invalid_params")
    return res.body as Obj
  },
})

/** Builds a one-file app on `app`; resolves with the build's release. */
const slugRelease = async (c: ReturnType<typeof client>, app: string): Promise<Obj> => {
  const blob = (await c.ok("POST", "/sources")).source_blob as { put_url: string; get_url: string }
  const files = { Procfile: "web: node server.js\n", "server.js": "setInterval(() => {}, 1000)\n" }
  await fetch(blob.put_url, { method: "PUT", body: await tarball(files) })
  const build = await c.ok("POST", `/apps/${app}/builds`, {
    source_blob: { url: blob.get_url, version: "c0ffee1" },
  })
  const done = await waitFor(async () => {
    const b = await c.ok("GET", `/apps/${app}/builds/${build.id}`)
    return b.status === "pending" ? undefined : b
  }, 30_000)
  return c.ok("GET", `/apps/${app}/releases/${(done.release as Obj).id}`)
}

test("pipelines, shared add-ons, config options, catalogs, domains, drains; faults; a restart keeps them", async () => {
  let sim: Simulator = await startSimulator(options)
  let c = client(herokuClient(sim.url, "e"))
  try {
    const staging = await c.ok("POST", "/apps", { name: "env-staging" })
    const prod = await c.ok("POST", "/apps", { name: "env-prod" })
    const stray = await c.ok("POST", "/apps", { name: "env-stray" })
    const pipe = await c.ok("POST", "/pipelines", { name: "env-pipe" })
    await c.ok("POST", "/pipeline-couplings", { app: staging.id, pipeline: pipe.id, stage: "staging" })
    await c.ok("POST", "/pipeline-couplings", { app: prod.id, pipeline: pipe.id, stage: "production" })
    const source = await slugRelease(c, "env-staging")
    await c.ok("PATCH", "/apps/env-staging/config-vars", { ONLY_STAGING: "1" })
    const promote = (targets: Obj[]) => ({
      pipeline: { id: pipe.id },
      source: { app: { id: staging.id } },
      targets: targets.map((t) => ({ app: { id: t.id } })),
    })
    const outside = await c.refused("POST", "/pipeline-promotions", promote([stray]))
    expect(outside.message).toBe("env-stray is not in the env-pipe pipeline.")
    const promotion = await c.ok("POST", "/pipeline-promotions", promote([prod]))
    const [target] = await waitFor(async () => {
      const t = await c.ok("GET", `/pipeline-promotions/${promotion.id}/promotion-targets`)
      return t[0]?.status === "pending" ? undefined : t
    })
    expect(target).toMatchObject({ status: "succeeded", error_message: null })
    const promoted = await c.ok("GET", `/apps/env-prod/releases/${(target!.release as Obj).id}`)
    expect(promoted.slug).toEqual(source.slug)
    expect(await c.ok("GET", "/apps/env-prod/config-vars")).toEqual({})

    // an add-on of staging attached to production under another name; config options kept
    const db = await c.ok("POST", "/apps/env-staging/addons", {
      plan: "heroku-postgresql:essential-0",
      config: { version: "16" },
    })
    await c.refused("POST", "/apps/env-staging/addons", { plan: "heroku-redis:mini", config: { size: 2 } })
    expect(await c.ok("GET", `/addons/${db.id}/config`)).toEqual([{ name: "version", value: "16" }])
    const shared = await c.ok("POST", "/addon-attachments", { addon: db.id, app: prod.id, name: "SHARED_DB" })
    const stagingVars = await c.ok("GET", "/apps/env-staging/config-vars")
    expect((await c.ok("GET", "/apps/env-prod/config-vars")).SHARED_DB_URL).toBe(stagingVars.DATABASE_URL)
    await c.ok("DELETE", `/addon-attachments/${shared.id}`)
    expect(await c.ok("GET", "/apps/env-prod/config-vars")).toEqual({})
    expect((await c.ok("GET", "/apps/env-staging/config-vars")).DATABASE_URL).toBe(stagingVars.DATABASE_URL)

    // what the catalogs do not offer is a 422, as on Heroku
    const plan = await c.refused("POST", "/apps/env-prod/addons", { plan: "heroku-postgresql:nonexistent" })
    expect(plan.message).toContain("heroku-postgresql:nonexistent")
    await slugRelease(c, "env-prod")
    await c.refused("PATCH", "/apps/env-prod/formation", { updates: [{ type: "web", size: "hobby" }] })
    await c.ok("PATCH", "/apps/env-prod/formation", { updates: [{ type: "web", size: "standard-2x" }] })
    const plans = await c.ok("GET", "/addon-services/heroku-postgresql/plans")
    expect(plans.map((p) => p.name)).toContain("heroku-postgresql:essential-0")

    // a domain's certificate: pending, then issued after the ACM delay; off again, no status
    await c.ok("POST", "/apps/env-prod/acm")
    const domain = await c.ok("POST", "/apps/env-prod/domains", {
      hostname: "API.Example.com",
      sni_endpoint: null,
    })
    expect(domain).toMatchObject({ hostname: "api.example.com", acm_status: "pending", status: "pending" })
    await c.refused("POST", "/apps/env-staging/domains", { hostname: "api.example.com", sni_endpoint: null })
    await c.refused("POST", "/apps/env-staging/domains", { hostname: "not a host", sni_endpoint: null })
    await c.ok("POST", "/apps/env-prod/domains", { hostname: "www.example.com", sni_endpoint: null })

    const drain = await c.ok("POST", "/apps/env-prod/log-drains", {
      url: "https://user:s3cret@logs.example.com/x",
    })
    const bad = await c.refused("POST", "/apps/env-prod/log-drains", {
      url: "ftp://user:s3cret@logs.example.com",
    })
    expect(JSON.stringify(bad)).not.toContain("s3cret")
    await c.ok("PATCH", "/apps/env-prod/features/preboot", { enabled: true })

    sim.setFaults({ errors: [{ route: "POST /apps/*/log-drains", rate: 1, status: 503 }] })
    const faulted = await herokuClient(sim.url, "e").call("POST", "/apps/env-prod/log-drains", {
      body: { url: "https://other.example.com/" },
    })
    expect(faulted.status).toBe(503)
    sim.setFaults({})

    // a restart while www.example.com's certificate is pending: it is issued afterwards
    await sim.close()
    sim = await startSimulator(options)
    c = client(herokuClient(sim.url, "e"))
    const issued = await waitFor(async () => {
      const all = await c.ok("GET", "/apps/env-prod/domains")
      const custom = all.filter((d) => d.kind === "custom")
      return custom.every((d) => d.acm_status === "cert issued") ? custom : undefined
    })
    expect(issued.map((d) => `${d.hostname}:${d.status}`).sort()).toEqual([
      "api.example.com:succeeded",
      "www.example.com:succeeded",
    ])
    await c.ok("DELETE", "/apps/env-prod/acm")
    expect((await c.ok("GET", "/apps/env-prod/domains/api.example.com")).acm_status).toBeNull()
    expect((await c.ok("GET", "/apps/env-prod/log-drains")).map((d) => d.token)).toEqual([drain.token])
    expect((await c.ok("GET", "/apps/env-prod/features/preboot")).enabled).toBe(true)
    await c.ok("DELETE", `/apps/env-prod/log-drains/${encodeURIComponent(String(drain.url))}`)
    expect(await c.ok("GET", "/apps/env-prod/log-drains")).toEqual([])
    expect((await c.ok("GET", "/pipelines?eq[name]=env-pipe")).map((p) => p.id)).toEqual([pipe.id])
  } finally {
    await sim.close()
  }
}, 60_000)
