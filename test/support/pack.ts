/**
 * The package as users get it: `packPackage` builds the CLI and packs exactly the files package.json
 * lists (npm pack, from a staging copy, so the repo's own dist/ is never rebuilt under other tests);
 * `installTarball` installs that tarball into an app folder the way `npm install -D ./x.tgz` does, but
 * offline: the app's lockfile is seeded with the package and its dependencies' integrity from this
 * repository's lockfile, so npm takes every tarball from its local cache.
 */
import { spawn } from "node:child_process"
import { createHash } from "node:crypto"
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"

const repo = resolve(import.meta.dirname, "../..")

interface Lock {
  readonly packages: Record<string, Record<string, unknown>>
}
interface Manifest {
  readonly name: string
  readonly version: string
  readonly files: ReadonlyArray<string>
  devDependencies?: Record<string, string>
}

export const packageJson = (): Manifest =>
  JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as Manifest

/** Runs a command; resolves with its exit code and output. */
export const exec = (
  command: string,
  args: ReadonlyArray<string>,
  options: { readonly cwd: string; readonly env?: Record<string, string | undefined> },
): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((done, fail) => {
    const env: Record<string, string> = {}
    for (const [k, v] of Object.entries({ ...process.env, NO_COLOR: "1", ...options.env }))
      if (v !== undefined) env[k] = v
    const child = spawn(command, args, { cwd: options.cwd, env, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString()
    })
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString()
    })
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000)
    child.on("error", fail)
    child.on("close", (code) => {
      clearTimeout(timer)
      done({ code, stdout, stderr })
    })
  })

/** Builds and packs the package into `dest`; returns the tarball's file name. */
export const packPackage = async (staging: string, dest: string): Promise<string> => {
  const pkg = packageJson()
  mkdirSync(staging, { recursive: true })
  cpSync(join(repo, "package.json"), join(staging, "package.json"))
  // dist/ (the entry and its chunks) is built into the staging copy below, never copied
  for (const file of pkg.files.filter((f) => !f.startsWith("dist/")))
    cpSync(join(repo, file), join(staging, file), { recursive: true })
  const built = await exec(
    process.execPath,
    ["scripts/build.mjs", "--outfile", join(staging, "dist/reconcile.mjs")],
    {
      cwd: repo,
    },
  )
  if (built.code !== 0) throw new Error(`build failed: ${built.stderr}`)
  const packed = await exec("npm", ["pack", "--ignore-scripts", "--pack-destination", dest], { cwd: staging })
  if (packed.code !== 0) throw new Error(`npm pack failed: ${packed.stderr}`)
  return `${pkg.name}-${pkg.version}.tgz`
}

/** Installs `./<tarball>` (in `app`) as a devDependency, offline. */
export const installTarball = async (app: string, tarball: string) => {
  const pkg = packageJson()
  const ours = JSON.parse(readFileSync(join(repo, "package-lock.json"), "utf8")) as Lock
  const lock = JSON.parse(readFileSync(join(app, "package-lock.json"), "utf8")) as Lock
  const manifest = JSON.parse(readFileSync(join(app, "package.json"), "utf8")) as Manifest
  const spec = `file:${tarball}`
  manifest.devDependencies = { ...manifest.devDependencies, [pkg.name]: spec }
  const root = lock.packages[""] ?? {}
  lock.packages[""] = { ...root, devDependencies: { ...(root.devDependencies as object), [pkg.name]: spec } }
  const integrity = `sha512-${createHash("sha512")
    .update(readFileSync(join(app, tarball)))
    .digest("base64")}`
  const deps = (
    JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { dependencies: Record<string, string> }
  ).dependencies
  lock.packages[`node_modules/${pkg.name}`] = {
    version: pkg.version,
    resolved: spec,
    integrity,
    dev: true,
    dependencies: deps,
    bin: { reconcile: "dist/reconcile.mjs" },
  }
  const todo = Object.keys(deps)
  for (let name = todo.pop(); name !== undefined; name = todo.pop()) {
    const key = `node_modules/${name}`
    const entry = ours.packages[key]
    if (lock.packages[key] !== undefined || entry === undefined) continue
    const { devOptional: _, ...rest } = entry
    lock.packages[key] = { ...rest, dev: true }
    todo.push(
      ...Object.keys({ ...(entry.dependencies as object), ...(entry.optionalDependencies as object) }),
    )
  }
  writeFileSync(join(app, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`)
  writeFileSync(join(app, "package-lock.json"), `${JSON.stringify(lock, null, 2)}\n`)
  const r = await exec("npm", ["install", "--offline", "--no-audit", "--no-fund"], { cwd: app })
  if (r.code !== 0) throw new Error(`npm install failed: ${r.stderr}`)
}
