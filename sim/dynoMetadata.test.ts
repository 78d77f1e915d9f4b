/**
 * The `runtime-dyno-metadata` app feature: off, dynos see none of Heroku's HEROKU_* metadata; on,
 * the next release's dynos get the app, release, slug and their own dyno id, as on Heroku.
 */
import { afterAll, beforeAll, expect, test } from "vitest"
import { herokuClient, tarball, waitFor } from "../test/support/simClient.ts"
import { type Simulator, startSimulator } from "./index.ts"

let sim: Simulator
const api = () => herokuClient(sim.url, "meta")

beforeAll(async () => {
  sim = await startSimulator({ tokens: ["meta"], dynos: { graceMs: 200 } })
})
afterAll(() => sim?.close())

const server = `require("http").createServer((q, s) => s.end(JSON.stringify(Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("HEROKU_")))))).listen(process.env.PORT)\n`

const ok = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
  const res = await api().call(method, path, body === undefined ? {} : { body })
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300)
  return res.body as Record<string, unknown>
}

/** The HEROKU_* variables the app's web dyno answering for `version` sees. */
const seen = (url: string, version: string) =>
  waitFor(async () => {
    const res = await fetch(url).catch(() => null)
    if (res?.status !== 200) return undefined
    const env = (await res.json()) as Record<string, string>
    return env.HEROKU_RELEASE_VERSION === version || version === "" ? env : undefined
  }, 20_000)

test("runtime-dyno-metadata gives dynos HEROKU_* metadata only when it is on", async () => {
  const app = await ok("POST", "/apps", { name: "meta-app" })
  const feature = await ok("GET", "/apps/meta-app/features/runtime-dyno-metadata")
  expect(feature).toMatchObject({ enabled: false, state: "beta" })
  const source = (await ok("POST", "/sources")).source_blob as { put_url: string; get_url: string }
  await fetch(source.put_url, {
    method: "PUT",
    body: await tarball({ Procfile: "web: node server.js\n", "server.js": server }),
  })
  await ok("POST", "/apps/meta-app/builds", { source_blob: { url: source.get_url, version: "abc1234" } })
  const url = String(app.web_url)
  expect(await seen(url, "")).toEqual({})

  await ok("PATCH", "/apps/meta-app/features/runtime-dyno-metadata", { enabled: true })
  const releases = (await api().call("GET", "/apps/meta-app/releases")).body as Array<{ version: number }>
  const latest = releases[releases.length - 1]!.version
  const again = await ok("POST", "/apps/meta-app/releases", {
    slug: ((await ok("GET", `/apps/meta-app/releases/${latest}`)).slug as { id: string }).id,
    description: "Deploy again",
  })
  const env = await seen(url, `v${again.version}`)
  expect(env).toMatchObject({
    HEROKU_APP_ID: String(app.id),
    HEROKU_APP_NAME: "meta-app",
    HEROKU_RELEASE_VERSION: `v${again.version}`,
    HEROKU_SLUG_COMMIT: "abc1234",
    HEROKU_SLUG_DESCRIPTION: "Deploy again",
  })
  expect(env.HEROKU_DYNO_ID).toMatch(/^[0-9a-f-]{36}$/)
  expect(env.HEROKU_RELEASE_CREATED_AT).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
}, 60_000)
