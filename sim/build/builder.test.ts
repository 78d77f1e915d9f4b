/**
 * Builds like the Node.js buildpack, from the uploaded tarball alone: install from the lockfile,
 * build scripts in order, prune, a dependency cache per app, failures with their output, and every
 * build ends (succeeded or failed).
 */
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { buildDir, fixtureApp, slugPath } from "../../test/support/build.ts"
import { type HerokuClient, herokuClient, waitFor } from "../../test/support/simClient.ts"
import { type Simulator, startSimulator } from "../index.ts"

let sim: Simulator
let api: HerokuClient
let dataDir: string

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "sim-build-"))
  sim = await startSimulator({ tokens: ["build"], dataDir })
  api = herokuClient(sim.url, "build")
})
afterAll(async () => {
  await sim?.close()
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true })
})

const createApp = async (name: string) => {
  const res = await api.call("POST", "/apps", { body: { name } })
  expect(res.status).toBe(201)
}

const slugOf = async (app: string, id: string) =>
  (await api.call("GET", `/apps/${app}/slugs/${id}`)).body as { process_types: Record<string, string> }

describe.sequential("a fixture app with a lockfile, build scripts and devDependencies", () => {
  test("installs from its own lockfile, runs the scripts in the buildpack's order and prunes", async () => {
    await createApp("notes-build")
    const build = await buildDir(api, "notes-build", fixtureApp("notes"))
    expect(build.status, build.output).toBe("succeeded")
    const order = ["prebuild ran", "npm ci", " build ran", "Pruning devDependencies", "cleanup ran"]
    const at = order.map((s) => build.output.indexOf(s))
    expect(
      at.every((i) => i >= 0),
      build.output,
    ).toBe(true)
    expect(
      [...at].sort((a, b) => a - b),
      build.output,
    ).toEqual(at)
    const slug = build.slug!.id
    const modules = slugPath(dataDir, slug, "node_modules")
    expect(lstatSync(modules).isSymbolicLink()).toBe(false)
    expect(existsSync(join(modules, "pg", "package.json"))).toBe(true)
    expect(existsSync(join(modules, "yaml"))).toBe(false)
    expect(readFileSync(slugPath(dataDir, slug, "built.txt"), "utf8")).toContain("npm run build")
    expect((await slugOf("notes-build", slug)).process_types).toEqual({
      web: "node web.mjs",
      worker: "node worker.mjs",
    })
    expect(build.output).not.toContain('engines.node "')
  })

  test("an unchanged lockfile restores the cached dependencies instead of installing", async () => {
    const build = await buildDir(api, "notes-build", fixtureApp("notes"))
    expect(build.status, build.output).toBe("succeeded")
    expect(build.output).toContain("Restoring cached dependencies")
    expect(build.output).not.toContain("npm ci")
    expect(existsSync(slugPath(dataDir, build.slug!.id, "node_modules", "pg", "package.json"))).toBe(true)
  })
})

test("without a Procfile the web process is npm start; without a lockfile the log says npm install ran", async () => {
  await createApp("no-procfile")
  const build = await buildDir(api, "no-procfile", fixtureApp("no-procfile"))
  expect(build.status, build.output).toBe("succeeded")
  expect(build.output).toContain("No package-lock.json")
  expect(build.output).toContain("running npm install instead")
  expect((await slugOf("no-procfile", build.slug!.id)).process_types).toEqual({ web: "npm start" })
})

test("a failing build script fails the build with its output", async () => {
  await createApp("failing-build")
  const build = await buildDir(api, "failing-build", fixtureApp("failing-build"))
  expect(build.status).toBe("failed")
  expect(build.output).toContain("compiling...")
  expect(build.output).toContain("error TS2304: cannot find name x")
  expect(build.output).toMatch(/Build failed: npm run build failed \(exit status 2\)/)
  expect(build.slug).toBeNull()
})

test("an engines.node range the simulator's Node does not match is a warning in the log", async () => {
  const dir = mkdtempSync(join(tmpdir(), "engines-"))
  writeFileSync(join(dir, "package.json"), '{"name":"old","version":"1.0.0","engines":{"node":"14.x"}}\n')
  writeFileSync(join(dir, "Procfile"), "web: node -e 0\n")
  await createApp("old-engines")
  const build = await buildDir(api, "old-engines", dir)
  rmSync(dir, { recursive: true, force: true })
  expect(build.status, build.output).toBe("succeeded")
  expect(build.output).toContain(`engines.node "14.x" does not match ${process.version}`)
})

test("a buildpack other than heroku/nodejs fails the build naming it", async () => {
  await createApp("python-app")
  const build = await buildDir(api, "python-app", fixtureApp("no-procfile"), {
    buildpacks: [{ url: "heroku/python" }],
  })
  expect(build.status).toBe("failed")
  expect(build.output).toContain("unsupported buildpack heroku/python")
})

test("a source_blob.url outside the simulator's blob store is refused", async () => {
  await createApp("foreign-source")
  for (const url of ["http://169.254.169.254/latest/meta-data", `${sim.url}/blobs/sources/not-a-source`]) {
    const res = await api.call("POST", "/apps/foreign-source/builds", { body: { source_blob: { url } } })
    expect(res.status).toBe(422)
    expect((res.body as { id: string }).id).toBe("invalid_params")
  }
})

test("a build whose extraction fails (and whose cleanup fails too) still ends as failed", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sim-broken-"))
  const broken = await startSimulator({ tokens: ["b"], dataDir: dir })
  try {
    const client = herokuClient(broken.url, "b")
    await client.call("POST", "/apps", { body: { name: "broken" } })
    mkdirSync(join(dir, "sources"), { recursive: true })
    writeFileSync(join(dir, "slugs"), "a file where the slugs folder should be\n")
    const source = (await client.call("POST", "/sources")).body as { source_blob: { put_url: string } }
    await fetch(source.source_blob.put_url, { method: "PUT", body: "not a tarball" })
    const created = await client.call("POST", "/apps/broken/builds", {
      body: { source_blob: { url: source.source_blob.put_url } },
    })
    const id = (created.body as { id: string }).id
    const done = await waitFor(async () => {
      const b = (await client.call("GET", `/apps/broken/builds/${id}`)).body as { status: string }
      return b.status === "pending" ? undefined : b
    }, 5000)
    expect(done.status).toBe("failed")
  } finally {
    await broken.close()
    rmSync(dir, { recursive: true, force: true })
  }
})
