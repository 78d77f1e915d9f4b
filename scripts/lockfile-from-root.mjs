// Writes DIR/package-lock.json for DIR/package.json from the entries the repo's own lockfile holds
// (same versions, same nesting), so fixture and sample apps install offline from npm's cache.
// Usage: node scripts/lockfile-from-root.mjs DIR
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"

const dir = process.argv[2]
if (dir === undefined) throw new Error("usage: node scripts/lockfile-from-root.mjs DIR")
const root = JSON.parse(readFileSync("package-lock.json", "utf8"))
const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))
const packages = {}

/** Where npm finds `name` from the package at `from`: its own node_modules, then each parent's. */
const resolve = (from, name) => {
  for (let at = from; ; ) {
    const key = `${at === "" ? "" : `${at}/`}node_modules/${name}`
    if (root.packages[key] !== undefined) return key
    if (at === "") return null
    const cut = at.lastIndexOf("node_modules/")
    at = cut <= 0 ? "" : at.slice(0, cut - 1)
  }
}

const visit = (from, name, dev, optional) => {
  const key = resolve(from, name)
  if (key === null) {
    if (optional) return
    throw new Error(`${name} is not in the repo's package-lock.json`)
  }
  const seen = packages[key]
  if (seen !== undefined && (dev || !seen.dev)) return
  const { dev: _d, devOptional: _o, peer: _p, ...entry } = root.packages[key]
  packages[key] = dev ? { ...entry, dev: true } : entry
  for (const d of Object.keys(entry.dependencies ?? {})) visit(key, d, dev, false)
  for (const d of Object.keys(entry.optionalDependencies ?? {})) visit(key, d, dev, true)
}
for (const d of Object.keys(pkg.dependencies ?? {})) visit("", d, false, false)
for (const d of Object.keys(pkg.devDependencies ?? {})) visit("", d, true, false)
const top = { name: pkg.name, version: pkg.version }
for (const k of ["dependencies", "devDependencies", "engines"]) if (pkg[k] !== undefined) top[k] = pkg[k]
const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a < b ? -1 : 1)))
const lock = {
  name: pkg.name,
  version: pkg.version,
  lockfileVersion: 3,
  requires: true,
  packages: { "": top, ...sorted },
}
writeFileSync(join(dir, "package-lock.json"), `${JSON.stringify(lock, null, 2)}\n`)
