/**
 * Real dynos: the web process runs with PORT, config and (runtime-dyno-metadata on) dyno metadata behind a stable web_url,
 * restarts on a new release, stops when scaled to 0, and no child outlives close().
 */
import { afterAll, beforeAll, expect, test } from "vitest"
import { postgresAdminUrl } from "../test/support/postgres.ts"
import { type HerokuClient, herokuClient, tarball, waitFor } from "../test/support/simClient.ts"
import { type Simulator, startSimulator } from "./index.ts"

let sim: Simulator
let api: HerokuClient

beforeAll(async () => {
  sim = await startSimulator({
    tokens: ["dyno"],
    postgres: { adminUrl: postgresAdminUrl() },
    dynos: { graceMs: 500 },
  })
  api = herokuClient(sim.url, "dyno")
})
afterAll(() => sim?.close())

const server = `require("http").createServer((q, s) => s.end(JSON.stringify({ pid: process.pid, v: process.env.HEROKU_RELEASE_VERSION, app: process.env.HEROKU_APP_NAME, greeting: process.env.GREETING }))).listen(process.env.PORT)\n`

const ok = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
  const res = await api.call(method, path, body === undefined ? {} : { body })
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300)
  return res.body as Record<string, unknown>
}

const get = async (url: string) => {
  const res = await fetch(url).catch(() => null)
  return res === null ? null : { status: res.status, body: await res.text() }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

test("web dynos run behind a stable web_url, restart per release, stop at 0, die on close", async () => {
  await ok("POST", "/apps", { name: "dyno-app" })
  await ok("PATCH", "/apps/dyno-app/features/runtime-dyno-metadata", { enabled: true })
  const url = String((await ok("GET", "/apps/dyno-app")).web_url)
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
  expect((await get(url))?.status).toBe(503)

  const source = (await ok("POST", "/sources")).source_blob as { put_url: string; get_url: string }
  await fetch(source.put_url, {
    method: "PUT",
    body: await tarball({ Procfile: "web: node server.js\n", "server.js": server }),
  })
  await ok("PATCH", "/apps/dyno-app/config-vars", { GREETING: "hi" })
  await ok("POST", "/apps/dyno-app/builds", { source_blob: { url: source.get_url } })
  const first = await waitFor(async () => {
    const r = await get(url)
    return r?.status === 200
      ? (JSON.parse(r.body) as { pid: number; v: string; app: string; greeting: string })
      : undefined
  })
  expect(first).toMatchObject({ v: "v3", app: "dyno-app", greeting: "hi" })

  await ok("PATCH", "/apps/dyno-app/config-vars", { GREETING: "hello" })
  const second = await waitFor(async () => {
    const r = await get(url)
    const body =
      r?.status === 200 ? (JSON.parse(r.body) as { pid: number; v: string; greeting: string }) : undefined
    return body?.v === "v4" ? body : undefined
  })
  expect(second.greeting).toBe("hello")
  await waitFor(async () => (alive(first.pid) ? undefined : true))
  expect((await ok("GET", "/apps/dyno-app")).web_url).toBe(url)

  await ok("PATCH", "/apps/dyno-app/formation/web", { quantity: 0 })
  await waitFor(async () => ((await get(url))?.status === 503 ? true : undefined))
  await waitFor(async () => (alive(second.pid) ? undefined : true))

  await ok("PATCH", "/apps/dyno-app/formation/web", { quantity: 1 })
  const third = await waitFor(async () => {
    const r = await get(url)
    return r?.status === 200 ? (JSON.parse(r.body) as { pid: number }) : undefined
  })
  await sim.close()
  expect(alive(third.pid)).toBe(false)
})
