/** State survives a restart with the same state file, written atomically. */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, expect, test } from "vitest"
import { herokuClient } from "../test/support/simClient.ts"
import { startSimulator } from "./index.ts"

const dirs: string[] = []
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))))

test("stop, start with the same stateFile: the app is still there", async () => {
  const dir = await mkdtemp(join(tmpdir(), "sim-state-"))
  dirs.push(dir)
  const stateFile = join(dir, "state.json")
  const options = { tokens: ["t"], stateFile, dataDir: join(dir, "data") }
  const first = await startSimulator(options)
  const api1 = herokuClient(first.url, "t")
  const created = await api1.call("POST", "/apps", { body: { name: "durable-app" } })
  await api1.call("PATCH", "/apps/durable-app/config-vars", { body: { KEPT: "yes" } })
  await first.close()
  expect(await readdir(dir)).toEqual(expect.arrayContaining(["state.json"]))
  expect((await readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([])
  expect(JSON.parse(await readFile(stateFile, "utf8")).apps).toHaveLength(1)

  const second = await startSimulator(options)
  try {
    const api2 = herokuClient(second.url, "t")
    const app = await api2.call("GET", "/apps/durable-app")
    expect(app.status).toBe(200)
    expect((app.body as { id: string }).id).toBe((created.body as { id: string }).id)
    expect((await api2.call("GET", "/apps/durable-app/config-vars")).body).toEqual({ KEPT: "yes" })
    expect((await api2.call("GET", "/apps/durable-app/releases")).body).toHaveLength(2)
  } finally {
    await second.close()
  }
})
