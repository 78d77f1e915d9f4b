/**
 * What the Node.js buildpack does, from the unpacked source alone: `heroku-prebuild`, install from
 * the lockfile (`npm ci`, else `npm install`, npm's local cache first), `heroku-postbuild` or
 * `build`, prune devDependencies, `heroku-cleanup`. Dependencies are restored from the app's cache
 * when the lockfile is unchanged. A failing step throws with the step named; its output is already
 * in the build log.
 */
import { existsSync, readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { cacheKey, restore, save } from "./cache.ts"
import { satisfies } from "./engines.ts"
import { runStep } from "./run.ts"

export interface NodeBuild {
  readonly dataDir: string
  readonly appId: string
  /** The unpacked source, built in place into the slug. */
  readonly dir: string
  /** The app's config vars, visible to the build as on Heroku. */
  readonly config: Readonly<Record<string, string>>
  readonly log: (line: string) => void
  /** Longest one step may run (default 10 min). */
  readonly stepTimeoutMs?: number
}

interface PackageJson {
  readonly scripts: Readonly<Record<string, string>>
  readonly devDependencies: Readonly<Record<string, string>>
  readonly engines: { readonly node?: string }
}

const readPackage = (dir: string): PackageJson | null => {
  const file = join(dir, "package.json")
  if (!existsSync(file)) return null
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, "utf8"))
  } catch (e) {
    throw new Error(`package.json is not valid JSON: ${e instanceof Error ? e.message : String(e)}`)
  }
  const obj = (v: unknown): Record<string, string> =>
    typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, string>) : {}
  const pkg = obj(raw)
  return { scripts: obj(pkg.scripts), devDependencies: obj(pkg.devDependencies), engines: obj(pkg.engines) }
}

const npmFlags = ["--prefer-offline", "--no-audit", "--no-fund", "--no-update-notifier"]

export const buildNode = async (b: NodeBuild): Promise<void> => {
  const pkg = readPackage(b.dir)
  if (pkg === null) {
    b.log("-----> No package.json at the root of the source: nothing to install or build")
    return
  }
  const env: Record<string, string> = {
    NODE_ENV: "production",
    ...b.config,
    PATH: `${dirname(process.execPath)}:${process.env.PATH ?? "/usr/bin:/bin"}`,
    HOME: process.env.HOME ?? b.dir,
    ...(process.env.npm_config_cache === undefined ? {} : { npm_config_cache: process.env.npm_config_cache }),
  }
  const step = async (label: string, args: ReadonlyArray<string>) => {
    const { code } = await runStep("npm", args, b.dir, env, b.log, b.stepTimeoutMs ?? 600_000)
    if (code !== 0) throw new Error(`${label} failed (exit status ${code})`)
  }
  const script = async (name: string) => {
    if (pkg.scripts[name] === undefined) return false
    b.log(`-----> Running ${name}`)
    await step(`npm run ${name}`, ["run", name, "--if-present"])
    return true
  }

  const range = pkg.engines.node
  b.log(`-----> Node.js ${process.version}${range === undefined ? "" : ` (engines.node: ${range})`}`)
  if (range !== undefined) {
    const ok = satisfies(process.version, range)
    if (ok === false)
      b.log(
        ` !     engines.node "${range}" does not match ${process.version}; the app runs on ${process.version}`,
      )
    if (ok === null)
      b.log(` !     engines.node "${range}" is not a range the simulator understands; not checked`)
  }
  await script("heroku-prebuild")

  const key = cacheKey(b.dir)
  if (key !== null && (await restore(b.dataDir, b.appId, key, b.dir))) {
    b.log("-----> Restoring cached dependencies (package-lock.json unchanged)")
  } else if (key !== null) {
    b.log("-----> Installing dependencies with npm ci (package-lock.json)")
    try {
      await step("npm ci", ["ci", "--include=dev", ...npmFlags])
    } catch {
      // npm ci refuses a lockfile that npm itself wrote without other platforms' optional packages
      b.log(
        " !     npm ci could not use package-lock.json (out of sync with package.json, often other " +
          "platforms' optional packages npm left out): running npm install instead",
      )
      await step("npm install", ["install", "--include=dev", ...npmFlags])
    }
    await save(b.dataDir, b.appId, key, b.dir)
    b.log("-----> Cached dependencies for the next build")
  } else {
    const other = ["yarn.lock", "pnpm-lock.yaml"].find((f) => existsSync(join(b.dir, f)))
    b.log(
      `-----> No package-lock.json${other === undefined ? "" : ` (${other} is not supported here)`}: ` +
        "npm ci needs one, running npm install instead (dependencies are not cached)",
    )
    await step("npm install", ["install", "--include=dev", "--no-package-lock", ...npmFlags])
  }

  if (!(await script("heroku-postbuild"))) await script("build")
  if (Object.keys(pkg.devDependencies).length > 0) {
    b.log("-----> Pruning devDependencies")
    await step("npm prune", ["prune", "--omit=dev", ...npmFlags])
  }
  await script("heroku-cleanup")
}
