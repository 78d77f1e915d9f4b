/**
 * Contract test: drives every implemented route over HTTP and validates each response body against
 * the official schema's targetSchema for that link. The last test fails if a route claims a link
 * that no call here validated, or a link that does not exist in the schema.
 */
import { createHash } from "node:crypto"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { checkEnvironmentRoutes } from "../test/support/contractEnv.ts"
import {
  loadSchemaLinks,
  patternToSchemaPath,
  type SchemaLink,
  schemaBytes,
  schemaSha256,
} from "../test/support/herokuSchema.ts"
import { postgresAdminUrl } from "../test/support/postgres.ts"
import { type HerokuClient, herokuClient, sampleApp, tarball, waitFor } from "../test/support/simClient.ts"
import { type Simulator, startSimulator } from "./index.ts"

let sim: Simulator
let api: HerokuClient
let links: ReadonlyMap<string, SchemaLink>
const validated = new Set<string>()

beforeAll(async () => {
  links = loadSchemaLinks()
  sim = await startSimulator({
    tokens: ["contract-token"],
    postgres: { adminUrl: postgresAdminUrl() },
    provisionDelayMs: 50,
    acmDelayMs: 50,
  })
  api = herokuClient(sim.url, "contract-token")
})
afterAll(() => sim?.close())

type Obj = Record<string, unknown> & { id: string }

/** Calls a route, expects a 2xx, validates the body against `linkId`'s targetSchema. */
const check = async (
  linkId: string,
  method: string,
  path: string,
  body?: unknown,
  client: HerokuClient = api,
): Promise<Obj & Obj[]> => {
  const link = links.get(linkId)
  if (link === undefined) throw new Error(`no schema link ${linkId}`)
  expect(link.method, linkId).toBe(method)
  const res = await client.call(method, path, body === undefined ? {} : { body })
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300)
  if (link.validate !== null) {
    link.validate(res.body)
    // the schema says a domain's hostname has `format: uri`, yet Heroku answers bare hostnames
    // (`www.example.com`, as its CLI prints them): that one format error is the schema's, not ours
    const errors = (link.validate.errors ?? []).filter(
      (e) => !(e.keyword === "format" && /\/hostname$/.test(e.instancePath)),
    )
    expect(errors, `${linkId} ${JSON.stringify(res.body)}`).toEqual([])
  }
  validated.add(linkId)
  return res.body as Obj & Obj[]
}

describe("contract", () => {
  test("the vendored schema is the upstream file", () => {
    expect(createHash("sha256").update(schemaBytes()).digest("hex")).toBe(schemaSha256)
  })

  test("the validators really check: a wrong shape fails", () => {
    expect(links.get("app#Info")?.validate?.({ id: "not-a-uuid", created_at: "yesterday" })).toBe(false)
    expect(links.get("add-on#Info")?.validate?.({ id: "6a2c4f0e-1111-4222-8333-944455556666" })).toBe(false)
    expect(links.get("release#List")?.validate?.([{ version: "1" }])).toBe(false)
  })

  test("every implemented route answers in the shape of the official schema", async () => {
    await check("account#Info", "GET", "/account")
    await check("rate-limit#Info", "GET", "/account/rate-limits")
    const app = await check("app#Create", "POST", "/apps", {
      name: "contract-app",
      region: "eu",
      stack: "heroku-24",
    })
    const other = await check("app#Create", "POST", "/apps", { name: "contract-target" })
    await check("app#List", "GET", "/apps")
    await check("app#List Owned and Collaborated", "GET", "/users/~/apps")
    await check("app#Info", "GET", "/apps/contract-app")
    await check("app#Update", "PATCH", `/apps/${app.id}`, { maintenance: true, build_stack: "heroku-22" })
    await check("buildpack-installation#Update", "PUT", "/apps/contract-app/buildpack-installations", {
      updates: [{ buildpack: "heroku/nodejs" }],
    })
    await check("buildpack-installation#List", "GET", "/apps/contract-app/buildpack-installations")
    await check("config-var#Update", "PATCH", "/apps/contract-app/config-vars", { A: "1", B: "2" })
    await check("config-var#Info for App", "GET", "/apps/contract-app/config-vars")

    const pg = await check("add-on#Create", "POST", "/apps/contract-app/addons", {
      plan: "heroku-postgresql:essential-0",
      config: { version: "16" },
    })
    const redis = await check("add-on#Create", "POST", "/apps/contract-app/addons", {
      plan: { name: "heroku-redis:mini" },
      attachment: { name: "CACHE" },
    })
    await waitFor(async () => {
      const a = await check("add-on#Info By App", "GET", `/apps/contract-app/addons/${pg.name}`)
      return a.state === "provisioned" ? a : undefined
    })
    await check("add-on#Info", "GET", `/addons/${redis.id}`)
    await check("add-on#List By App", "GET", "/apps/contract-app/addons")
    await check("add-on#List", "GET", "/addons")
    await check("add-on#Update", "PATCH", `/apps/contract-app/addons/${redis.name}`, {
      plan: { name: "heroku-redis:premium-0" },
    })

    const att = await check("add-on-attachment#Create", "POST", "/addon-attachments", {
      addon: pg.id,
      app: other.id,
      name: "SHARED_DB",
    })
    await check("add-on-attachment#Info", "GET", `/addon-attachments/${att.id}`)
    await check("add-on-attachment#List", "GET", "/addon-attachments")
    await check("add-on-attachment#List by Add-on", "GET", `/addons/${pg.id}/addon-attachments`)
    await check("add-on-attachment#List by App", "GET", "/apps/contract-app/addon-attachments")
    await check("add-on-attachment#Info by App", "GET", "/apps/contract-app/addon-attachments/DATABASE")
    // across apps: the attaching app lists the owner's add-on (owned by contract-app) and the attachment
    const foreign = await check("add-on#List By App", "GET", "/apps/contract-target/addons")
    expect(foreign.map((a) => [a.name, (a.app as { name: string }).name])).toEqual([
      [pg.name, "contract-app"],
    ])
    const shared = await check(
      "add-on-attachment#List by App",
      "GET",
      "/apps/contract-target/addon-attachments",
    )
    expect(shared.map((a) => [a.name, (a.addon as { app: { name: string } }).app.name])).toEqual([
      ["SHARED_DB", "contract-app"],
    ])
    await check("add-on-attachment#Info by App", "GET", "/apps/contract-target/addon-attachments/SHARED_DB")
    const resolved = await check(
      "add-on-attachment#Resolution",
      "POST",
      "/actions/addon-attachments/resolve",
      {
        addon_attachment: "DATABASE_URL",
        app: "contract-app",
      },
    )
    expect(resolved.map((r) => r.name)).toEqual(["DATABASE"])

    const source = await check("source#Create", "POST", "/sources")
    const blob = source.source_blob as { put_url: string; get_url: string }
    const put = await fetch(blob.put_url, { method: "PUT", body: await tarball(sampleApp) })
    expect(put.status).toBe(200)
    const build = await check("build#Create", "POST", "/apps/contract-app/builds", {
      source_blob: { url: blob.get_url, version: "abc123" },
    })
    const done = await waitFor(async () => {
      const b = await check("build#Info", "GET", `/apps/contract-app/builds/${build.id}`)
      return b.status === "pending" ? undefined : b
    })
    expect(done.status).toBe("succeeded")
    await check("build#List", "GET", "/apps/contract-app/builds")
    const slugId = (done.slug as { id: string }).id
    await check("slug#Info", "GET", `/apps/contract-app/slugs/${slugId}`)

    const releases = await check("release#List", "GET", "/apps/contract-app/releases")
    const first = releases[0]!
    await check("release#Info", "GET", `/apps/contract-app/releases/${first.version}`)
    await check(
      "config-var#Info for App Release",
      "GET",
      `/apps/contract-app/releases/${first.id}/config-vars`,
    )
    const again = await check("release#Create", "POST", "/apps/contract-app/releases", {
      slug: slugId,
      description: "again",
    })
    await check("release#Rollback", "POST", "/apps/contract-app/releases", { release: again.id })
    await check("release#Create", "POST", "/apps/contract-app/releases", { slug: slugId })

    await check("formation#List", "GET", "/apps/contract-app/formation")
    await check("formation#Info", "GET", "/apps/contract-app/formation/web")
    await check("formation#Update", "PATCH", "/apps/contract-app/formation/web", {
      quantity: 2,
      size: "standard-1x",
    })
    await check("formation#Batch Update", "PATCH", "/apps/contract-app/formation", {
      updates: [{ type: "worker", quantity: "1", dyno_size: { name: "Standard-2X" } }],
    })

    const pipeline = await check("pipeline#Create", "POST", "/pipelines", { name: "contract-pipe" })
    await check("pipeline#List", "GET", "/pipelines")
    await check("pipeline#Info", "GET", "/pipelines/contract-pipe")
    await check("pipeline#Update", "PATCH", `/pipelines/${pipeline.id}`, { name: "contract-pipeline" })
    const coupling = await check("pipeline-coupling#Create", "POST", "/pipeline-couplings", {
      app: app.id,
      pipeline: pipeline.id,
      stage: "staging",
    })
    await check("pipeline-coupling#Create", "POST", "/pipeline-couplings", {
      app: other.id,
      pipeline: pipeline.id,
      stage: "production",
    })
    await check("pipeline-coupling#List", "GET", "/pipeline-couplings")
    await check("pipeline-coupling#Info", "GET", `/pipeline-couplings/${coupling.id}`)
    await check("pipeline-coupling#List By Pipeline", "GET", `/pipelines/${pipeline.id}/pipeline-couplings`)
    const byApp = await check("pipeline-coupling#Info By App", "GET", "/apps/contract-app/pipeline-couplings")
    expect(byApp.pipeline).toEqual({ id: pipeline.id, name: "contract-pipeline" })
    await check("pipeline-coupling#Update", "PATCH", `/pipeline-couplings/${coupling.id}`, {
      stage: "development",
    })
    const promotion = await check("pipeline-promotion#Create", "POST", "/pipeline-promotions", {
      pipeline: { id: pipeline.id },
      source: { app: { id: app.id } },
      targets: [{ app: { id: other.id } }],
    })
    await waitFor(async () => {
      const p = await check("pipeline-promotion#Info", "GET", `/pipeline-promotions/${promotion.id}`)
      return p.status === "completed" ? p : undefined
    })
    const targets = await check(
      "pipeline-promotion-target#List",
      "GET",
      `/pipeline-promotions/${promotion.id}/promotion-targets`,
    )
    expect(targets.map((t) => t.status)).toEqual(["succeeded"])

    await checkEnvironmentRoutes(check, "contract-app", String(pg.name))
    await check("pipeline-coupling#Delete", "DELETE", `/pipeline-couplings/${coupling.id}`)
    await check("pipeline#Delete", "DELETE", `/pipelines/${pipeline.id}`)
    await check("add-on-attachment#Delete", "DELETE", `/addon-attachments/${att.id}`)
    await check("add-on#Delete", "DELETE", `/apps/contract-app/addons/${redis.id}`)
    await check("add-on#Delete", "DELETE", `/apps/contract-app/addons/${pg.id}`)
    await check("app#Delete", "DELETE", "/apps/contract-app")
  })

  test("dynos and log sessions answer in the shape of the official schema", async () => {
    // real dynos give apps a loopback web_url, which the schema's herokuapp.com pattern refuses:
    // a second simulator runs them, and app shapes are validated on the first
    const dynoSim = await startSimulator({ tokens: ["d"], dynos: { graceMs: 200 } })
    try {
      const client = herokuClient(dynoSim.url, "d")
      const call = (link: string, method: string, path: string, body?: unknown) =>
        check(link, method, path, body, client)
      await client.call("POST", "/apps", { body: { name: "dyno-contract" } })
      const source = (await client.call("POST", "/sources")).body as { source_blob: { put_url: string } }
      await fetch(source.source_blob.put_url, { method: "PUT", body: await tarball(sampleApp) })
      await client.call("POST", "/apps/dyno-contract/builds", {
        body: { source_blob: { url: source.source_blob.put_url } },
      })
      await waitFor(async () => {
        const f = (await client.call("GET", "/apps/dyno-contract/formation")).body as Obj[]
        return f.some((x) => x.type === "worker") ? true : undefined
      }, 30_000)
      await client.call("PATCH", "/apps/dyno-contract/formation/worker", { body: { quantity: 1 } })
      await waitFor(async () => {
        const dynos = await call("dyno#List", "GET", "/apps/dyno-contract/dynos")
        return dynos.some((d) => d.name === "worker.1") ? dynos : undefined
      })
      const dyno = await call("dyno#Info", "GET", "/apps/dyno-contract/dynos/web.1")
      expect(dyno).toMatchObject({ name: "web.1", type: "web", command: "node server.js" })
      await call("dyno#Restart", "DELETE", "/apps/dyno-contract/dynos/web.1")
      await call("dyno#Restart formation", "DELETE", "/apps/dyno-contract/formations/worker")
      await call("dyno#Restart all", "DELETE", "/apps/dyno-contract/dynos")
      const session = await call("log-session#Create", "POST", "/apps/dyno-contract/log-sessions", {
        lines: 10,
        source: "heroku",
      })
      expect(await (await fetch(String(session.logplex_url))).text()).toContain(
        "heroku[web.1]: Starting process",
      )
    } finally {
      await dynoSim.close()
    }
  })

  test("the implemented links are exactly the validated ones, and each exists in the schema", () => {
    const implemented = sim.routes().flatMap((r) => r.links.map((link) => ({ ...r, link })))
    const rows = implemented.map((r) => {
      const schema = links.get(r.link)
      expect(schema, `${r.link} is not a schema link`).toBeDefined()
      expect(`${schema?.method} ${schema?.path}`, r.link).toBe(
        `${r.method} ${patternToSchemaPath(r.pattern)}`,
      )
      return `${validated.has(r.link) ? "validated" : "MISSING  "}  ${r.method.padEnd(6)} ${r.pattern.padEnd(48)} ${r.link}`
    })
    console.log(`Implemented schema links (${implemented.length} of ${links.size}):\n${rows.join("\n")}`)
    expect(implemented.map((r) => r.link).filter((l) => !validated.has(l))).toEqual([])
  })
})
