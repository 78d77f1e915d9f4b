/**
 * The end-to-end scenario over real HTTP: app, real Postgres add-on, one-release config PATCH,
 * build from an uploaded tarball, scale by size, releases newest first, rollback.
 */
import { createHash } from "node:crypto"
import pg from "pg"
import { afterAll, beforeAll, expect, test } from "vitest"
import { postgresAdminUrl } from "../test/support/postgres.ts"
import { type HerokuClient, herokuClient, sampleApp, tarball, waitFor } from "../test/support/simClient.ts"
import { type Simulator, startSimulator } from "./index.ts"

let sim: Simulator
let api: HerokuClient

beforeAll(async () => {
  sim = await startSimulator({
    tokens: ["scenario"],
    postgres: { adminUrl: postgresAdminUrl() },
    provisionDelayMs: 100,
  })
  api = herokuClient(sim.url, "scenario")
})
afterAll(() => sim?.close())

type Obj = Record<string, unknown>

const ok = async (method: string, path: string, body?: unknown): Promise<Obj & Obj[]> => {
  const res = await api.call(method, path, body === undefined ? {} : { body })
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300)
  return res.body as Obj & Obj[]
}

const releaseCount = async (): Promise<number> => (await ok("GET", "/apps/scenario-app/releases")).length

test("app → postgres → config → build → scale → releases → rollback", async () => {
  await ok("POST", "/apps", { name: "scenario-app" })

  const addon = await ok("POST", "/apps/scenario-app/addons", { plan: "heroku-postgresql:essential-0" })
  expect(addon.state).toBe("provisioning")
  await waitFor(async () => {
    const a = await ok("GET", `/apps/scenario-app/addons/${addon.id}`)
    return a.state === "provisioned" ? a : undefined
  })
  const config = await ok("GET", "/apps/scenario-app/config-vars")
  expect(typeof config.DATABASE_URL).toBe("string")
  const client = new pg.Client({ connectionString: String(config.DATABASE_URL) })
  await client.connect()
  expect((await client.query("select 1 as one")).rows).toEqual([{ one: 1 }])
  await client.end()
  expect((await ok("GET", `/apps/scenario-app/addons/${addon.id}`)).config_vars).toEqual(["DATABASE_URL"])

  await ok("PATCH", "/apps/scenario-app/config-vars", { KEEP: "x", DROP: "y" })
  const before = await releaseCount()
  const patched = await ok("PATCH", "/apps/scenario-app/config-vars", { NEW: "1", DROP: null })
  expect(patched).toMatchObject({ KEEP: "x", NEW: "1" })
  expect(patched).not.toHaveProperty("DROP")
  expect(await releaseCount()).toBe(before + 1)

  const source = await ok("POST", "/sources")
  const blob = source.source_blob as { put_url: string; get_url: string }
  const tgz = await tarball(sampleApp)
  expect((await fetch(blob.put_url, { method: "PUT", body: tgz })).status).toBe(200)
  const checksum = `SHA256:${createHash("sha256").update(tgz).digest("hex")}`
  const build = await ok("POST", "/apps/scenario-app/builds", {
    source_blob: { url: blob.get_url, checksum, version: "v1" },
  })
  expect(build.status).toBe("pending")
  const built = await waitFor(async () => {
    const b = await ok("GET", `/apps/scenario-app/builds/${build.id}`)
    return b.status === "pending" ? undefined : b
  })
  expect(built.status).toBe("succeeded")
  const output = await (await fetch(String(built.output_stream_url))).text()
  expect(output).toContain("Released")

  const scaled = await ok("PATCH", "/apps/scenario-app/formation", {
    updates: [{ type: "web", quantity: "2", size: "Standard-2X" }],
  })
  expect(scaled[0]).toMatchObject({
    type: "web",
    quantity: 2,
    size: "Standard-2X",
    dyno_size: { name: "Standard-2X" },
  })

  const res = await api.call("GET", "/apps/scenario-app/releases", {
    headers: { Range: "version ..; max=200, order=desc" },
  })
  const versions = (res.body as Obj[]).map((r) => r.version as number)
  expect(versions).toEqual([...versions].sort((a, b) => b - a))
  const [deployed, previous] = res.body as Obj[]
  expect(deployed?.current).toBe(true)
  expect(deployed?.description).toBe("Deploy v1")
  // the release before the deploy has no code: Heroku refuses to roll back to it
  expect(previous).toMatchObject({ slug: null, eligible_for_rollback: false })
  const refused = await api.call("POST", "/apps/scenario-app/releases", { body: { release: previous?.id } })
  expect(refused.status).toBe(422)

  const current = await ok("PATCH", "/apps/scenario-app/config-vars", { LATER: "1" }).then(() =>
    ok("GET", `/apps/scenario-app/releases/${(deployed?.version as number) + 1}`),
  )
  expect(current.slug).toEqual(deployed?.slug)
  const rollback = await ok("POST", "/apps/scenario-app/releases", { release: deployed?.id })
  expect(rollback).toMatchObject({ version: (current.version as number) + 1, current: true })
  expect(rollback.description).toBe(`Rollback to v${deployed?.version}`)
  expect(rollback.slug).toEqual(deployed?.slug)
})

test("a build from an invalid tarball or a wrong checksum fails", async () => {
  await ok("POST", "/apps", { name: "scenario-bad" })
  const source = await ok("POST", "/sources")
  const blob = source.source_blob as { put_url: string; get_url: string }
  await fetch(blob.put_url, { method: "PUT", body: "this is not a tarball" })
  const runBuild = async (sourceBlob: Obj) => {
    const build = await ok("POST", "/apps/scenario-bad/builds", { source_blob: sourceBlob })
    return waitFor(async () => {
      const b = await ok("GET", `/apps/scenario-bad/builds/${build.id}`)
      return b.status === "pending" ? undefined : b
    })
  }
  expect((await runBuild({ url: blob.get_url })).status).toBe("failed")
  const good = await ok("POST", "/sources")
  const goodBlob = good.source_blob as { put_url: string; get_url: string }
  await fetch(goodBlob.put_url, { method: "PUT", body: await tarball(sampleApp) })
  expect((await runBuild({ url: goodBlob.get_url, checksum: `SHA256:${"0".repeat(64)}` })).status).toBe(
    "failed",
  )
})

test("postgres add-ons fail clearly without a postgres server", async () => {
  const bare = await startSimulator({ tokens: ["t"] })
  try {
    const c = herokuClient(bare.url, "t")
    await c.call("POST", "/apps", { body: { name: "no-pg-app" } })
    const res = await c.call("POST", "/apps/no-pg-app/addons", {
      body: { plan: "heroku-postgresql:essential-0" },
    })
    expect(res.status).toBe(422)
    expect(res.body).toMatchObject({ id: "invalid_params" })
    expect(String((res.body as Obj).message)).toContain("without a Postgres server")
  } finally {
    await bare.close()
  }
})
