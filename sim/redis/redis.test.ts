/**
 * heroku-redis add-ons: backed by a real redis-server when one is installed (skipped loudly when
 * not), answering at the same REDIS_URL after a restart; without one, the log says plainly that
 * REDIS_URL is not backed.
 */
import { mkdtemp, rm, stat } from "node:fs/promises"
import { connect } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { expect, test } from "vitest"
import { herokuClient, waitFor } from "../../test/support/simClient.ts"
import { findRedisServer, startSimulator } from "../index.ts"

/** Sends RESP commands and returns the raw reply (enough for AUTH, SET, GET). */
const redisCall = (url: string, commands: string[][]): Promise<string> => {
  const u = new URL(url)
  const encode = (c: string[]) =>
    `*${c.length}\r\n${c.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`
  const all = [["AUTH", decodeURIComponent(u.password)], ...commands]
  return new Promise((done, fail) => {
    const socket = connect(Number(u.port), u.hostname, () => socket.write(all.map(encode).join("")))
    let reply = ""
    socket.on("data", (d) => {
      reply += d.toString()
      if (reply.split("\r\n").filter((l) => /^[+\-$:]/.test(l)).length >= all.length) socket.end()
    })
    socket.on("end", () => done(reply))
    socket.on("error", fail)
    setTimeout(() => socket.destroy(new Error(`no full reply: ${reply}`)), 3000)
  })
}

const redisUrl = async (simUrl: string) => {
  const api = herokuClient(simUrl, "t")
  return waitFor(async () => {
    const vars = (await api.call("GET", "/apps/redis-app/config-vars")).body as Record<string, string>
    return vars.REDIS_URL
  })
}

const installed = findRedisServer() !== null
if (!installed) console.warn("SKIPPED: no redis-server on PATH, so real heroku-redis backing is not tested")

test.skipIf(!installed)("a heroku-redis add-on answers at its REDIS_URL, also after a restart", async () => {
  const dir = await mkdtemp(join(tmpdir(), "sim-redis-"))
  const options = {
    tokens: ["t"],
    stateFile: join(dir, "sim.json"),
    redis: { dataDir: join(dir, "redis") },
    provisionDelayMs: 0,
  }
  try {
    const sim = await startSimulator(options)
    const api = herokuClient(sim.url, "t")
    await api.call("POST", "/apps", { body: { name: "redis-app" } })
    await api.call("POST", "/apps/redis-app/addons", { body: { plan: "heroku-redis:mini" } })
    const url = await redisUrl(sim.url)
    expect(await redisCall(url, [["SET", "k", "kept"]])).toBe("+OK\r\n+OK\r\n")
    expect((await stat(join(dir, "redis", "credentials.json"))).mode & 0o777).toBe(0o600)
    await sim.close()
    const again = await startSimulator(options)
    try {
      expect(await redisUrl(again.url)).toBe(url)
      expect(await redisCall(url, [["GET", "k"]])).toBe("+OK\r\n$4\r\nkept\r\n")
    } finally {
      await again.close()
    }
    await expect(redisCall(url, [["PING"]])).rejects.toThrow()
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})

test("without redis-server, the log says plainly that REDIS_URL is not backed", async () => {
  const path = process.env.PATH
  process.env.PATH = "/nonexistent"
  const notices: string[] = []
  try {
    const sim = await startSimulator({
      tokens: ["t"],
      redis: { dataDir: "/nonexistent" },
      provisionDelayMs: 0,
      onNotice: (m) => notices.push(m),
    })
    try {
      const api = herokuClient(sim.url, "t")
      await api.call("POST", "/apps", { body: { name: "redis-app" } })
      await api.call("POST", "/apps/redis-app/addons", { body: { plan: "heroku-redis:mini" } })
      expect(notices.join("\n")).toContain("REDIS_URL is not backed")
    } finally {
      await sim.close()
    }
  } finally {
    process.env.PATH = path
  }
})
