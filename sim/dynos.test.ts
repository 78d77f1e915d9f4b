/**
 * Dynos for every app: a fixture app (not the sample app) built from its tarball runs its web and
 * worker process types against its own database; dynos listen on loopback and run unprivileged;
 * a crash shows as `crashed` with the router answering 503; restarts, logs, and dynos a killed run
 * left behind are stopped by the next.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, expect, test } from "vitest"
import { buildDir, fixtureApp } from "../test/support/build.ts"
import { postgresAdminUrl } from "../test/support/postgres.ts"
import { type HerokuClient, herokuClient, waitFor } from "../test/support/simClient.ts"
import { startProcessDynoRunner } from "./dynoRunner.ts"
import { type Simulator, startSimulator } from "./index.ts"

let sim: Simulator
let api: HerokuClient
let dataDir: string

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "sim-dynos-"))
  sim = await startSimulator({
    tokens: ["dynos"],
    dataDir,
    postgres: { adminUrl: postgresAdminUrl() },
    provisionDelayMs: 20,
    dynos: { graceMs: 500 },
  })
  api = herokuClient(sim.url, "dynos")
})
afterAll(async () => {
  await sim?.close()
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true })
})

type Obj = Record<string, unknown>
const ok = async (method: string, path: string, body?: unknown): Promise<Obj & Obj[]> => {
  const res = await api.call(method, path, body === undefined ? {} : { body })
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300)
  return res.body as Obj & Obj[]
}
const page = async (url: string) => {
  const res = await fetch(url).catch(() => null)
  return res === null ? null : { status: res.status, body: await res.text() }
}
const dynos = async (app: string) =>
  ((await ok("GET", `/apps/${app}/dynos`)) as Obj[]).map((d) => `${d.name}:${d.state}`).sort()

/** The local address (hex, as in /proc/net/tcp) of whatever listens on `port`. */
const listener = (port: number): { address: string } | null => {
  const hex = port.toString(16).toUpperCase().padStart(4, "0")
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of readFileSync(file, "utf8").split("\n").slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/)
      if (state === "0A" && local?.endsWith(`:${hex}`)) return { address: local.slice(0, -5) }
    }
  }
  return null
}
const uidOf = (pid: number) => Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1])

test("a fixture app with web and worker runs both, serving what the worker wrote to its database", async () => {
  await ok("POST", "/apps", { name: "notes" })
  const addon = await ok("POST", "/apps/notes/addons", { plan: "heroku-postgresql:essential-0" })
  await waitFor(async () =>
    (await ok("GET", `/apps/notes/addons/${addon.id}`)).state === "provisioned" ? true : undefined,
  )
  // an external test server (DATABASE_URL) may not speak TLS; the simulator's own PostgreSQL does
  const external = (process.env.DATABASE_URL ?? "") !== ""
  if (external) await ok("PATCH", "/apps/notes/config-vars", { NOTES_PLAIN_DB: "1" })
  const build = await buildDir(api, "notes", fixtureApp("notes"))
  expect(build.status, build.output).toBe("succeeded")
  await ok("PATCH", "/apps/notes/formation/worker", { quantity: 1 })
  const url = String((await ok("GET", "/apps/notes")).web_url)
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
  const served = await waitFor(async () => {
    const p = await page(url)
    return p?.status === 200 && p.body.includes("written by worker.1") ? p : undefined
  }, 20_000)
  expect(served.body).toContain("<li>written by worker.1</li>")
  if (!external) expect(served.body).toContain("database connection: TLS")
  expect(await dynos("notes")).toEqual(["web.1:up", "worker.1:up"])

  const pidFiles = readdirSync(join(dataDir, "dynos")).map(
    (f) => JSON.parse(readFileSync(join(dataDir, "dynos", f), "utf8")) as { pid: number; dyno: string },
  )
  expect(pidFiles.map((p) => p.dyno).sort()).toEqual(["web.1", "worker.1"])
  for (const { pid } of pidFiles)
    expect(uidOf(pid)).toBe(process.getuid?.() === 0 ? 65534 : process.getuid?.())

  const session = await ok("POST", "/apps/notes/log-sessions", { lines: 50 })
  const log = await (await fetch(String(session.logplex_url))).text()
  expect(log).toMatch(/app\[worker\.1\]: worker wrote its note/)
  expect(log).toMatch(/heroku\[router\]: at=info method=GET path="\/" .*dyno=web\.1 status=200/)
})

test("dynos listen on loopback only, even when the app listens on every interface", async () => {
  const dir = mkdtempSync(join(tmpdir(), "anyhost-"))
  writeFileSync(join(dir, "package.json"), '{"name":"anyhost","version":"1.0.0"}\n')
  writeFileSync(join(dir, "Procfile"), "web: node server.js\n")
  writeFileSync(
    join(dir, "server.js"),
    `const s = require("http").createServer((q, r) => r.end(String(process.env.PORT))); s.listen(Number(process.env.PORT), "0.0.0.0")\n`,
  )
  await ok("POST", "/apps", { name: "anyhost" })
  const build = await buildDir(api, "anyhost", dir)
  rmSync(dir, { recursive: true, force: true })
  expect(build.status, build.output).toBe("succeeded")
  const url = String((await ok("GET", "/apps/anyhost")).web_url)
  const port = Number(
    (await waitFor(async () => ((await page(url))?.status === 200 ? page(url) : undefined)))?.body,
  )
  expect(listener(port)?.address).toBe("0100007F")
})

test("an app without a Procfile runs npm start", async () => {
  await ok("POST", "/apps", { name: "npm-start" })
  const build = await buildDir(api, "npm-start", fixtureApp("no-procfile"))
  expect(build.status, build.output).toBe("succeeded")
  const url = String((await ok("GET", "/apps/npm-start")).web_url)
  const served = await waitFor(async () => {
    const p = await page(url)
    return p?.status === 200 ? p : undefined
  }, 20_000)
  expect(served.body).toBe("started by npm start\n")
})

test("a tail log session streams new app and router lines as server-sent events (heroku logs --tail)", async () => {
  const url = String((await ok("GET", "/apps/npm-start")).web_url)
  const session = await ok("POST", "/apps/npm-start/log-sessions", { tail: true, lines: 1 })
  const abort = new AbortController()
  const res = await fetch(String(session.logplex_url), {
    headers: { Accept: "text/event-stream" },
    signal: abort.signal,
  })
  expect(res.headers.get("content-type")).toBe("text/event-stream")
  const reader = res.body!.getReader()
  let text = ""
  await page(`${url}tail-me`)
  await waitFor(async () => {
    const { value } = await reader.read()
    text += new TextDecoder().decode(value)
    return text.includes("tail-me") ? true : undefined
  })
  abort.abort()
  expect(text).toMatch(/^id: 1\ndata: \S+ (app|heroku)\[[^\]]+\]: /)
  expect(text).toMatch(/\ndata: \S+ heroku\[router\]: at=info method=GET path="\/tail-me" .*status=200\n\n/)
})

test("a crashing web process makes its dyno crashed and the router answer 503; a restart brings it back", async () => {
  const dir = mkdtempSync(join(tmpdir(), "crashy-"))
  writeFileSync(join(dir, "Procfile"), "web: node server.js\n")
  writeFileSync(
    join(dir, "server.js"),
    `require("http").createServer((q, r) => { r.end("up"); if (q.url === "/crash") setTimeout(() => process.exit(3), 10) }).listen(Number(process.env.PORT))\n`,
  )
  await ok("POST", "/apps", { name: "crashy" })
  const build = await buildDir(api, "crashy", dir)
  rmSync(dir, { recursive: true, force: true })
  expect(build.status, build.output).toBe("succeeded")
  const url = String((await ok("GET", "/apps/crashy")).web_url)
  await waitFor(async () => ((await page(url))?.status === 200 ? true : undefined))
  await page(`${url}crash`)
  await waitFor(async () => ((await dynos("crashy"))[0] === "web.1:crashed" ? true : undefined))
  expect((await page(url))?.status).toBe(503)
  expect((await ok("GET", "/apps/crashy/dynos/web.1")).state).toBe("crashed")
  await ok("DELETE", "/apps/crashy/dynos/web.1")
  await waitFor(async () => ((await page(url))?.status === 200 ? true : undefined))
  expect(await dynos("crashy")).toEqual(["web.1:up"])
})

test("dynos left running by a killed simulator are stopped by the next one", async () => {
  const dir = mkdtempSync(join(tmpdir(), "orphans-"))
  const release = {
    appName: "orphan",
    version: 1,
    slugDir: dir,
    processTypes: { worker: "node -e 'setInterval(() => {}, 1000)'" },
    config: {},
    formation: [{ type: "worker", quantity: 1 }],
  }
  const pidDir = join(dir, "pids")
  const killed = await startProcessDynoRunner({ pidDir, graceMs: 200 }, () => {})
  await killed.apply(release)
  const [file] = readdirSync(pidDir)
  const { pid } = JSON.parse(readFileSync(join(pidDir, file!), "utf8")) as { pid: number }
  expect(() => process.kill(pid, 0)).not.toThrow()
  // the first runner is never closed, as when its process was SIGKILLed
  const errors: unknown[] = []
  const next = await startProcessDynoRunner({ pidDir, graceMs: 200 }, (e) => errors.push(e))
  await waitFor(async () => {
    try {
      process.kill(pid, 0)
      return undefined
    } catch {
      return true
    }
  }, 5000)
  expect(String(errors[0])).toContain("orphan worker.1")
  await next.close()
  await killed.close()
  rmSync(dir, { recursive: true, force: true })
})
