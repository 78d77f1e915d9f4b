// Writes DIR/package-lock.json for DIR/package.json from the entries the repo's own lockfile holds,
// so fixture and sample apps install offline from npm's cache. Usage: node scripts/lockfile-from-root.mjs DIR
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"

const dir = process.argv[2]
if (dir === undefined) throw new Error("usage: node scripts/lockfile-from-root.mjs DIR")
const root = JSON.parse(readFileSync("package-lock.json", "utf8"))
const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))
const packages = {}
const visit = (name, dev) => {
  const key = `node_modules/${name}`
  const entry = root.packages[key]
  if (entry === undefined) throw new Error(`${name} is not in the repo's package-lock.json`)
  if (packages[key] !== undefined) {
    if (!dev && packages[key].dev) {
      const { dev: _, ...rest } = packages[key]
      packages[key] = rest
    } else return
  } else {
    const { dev: _d, devOptional: _o, peer: _p, ...rest } = entry
    packages[key] = dev ? { ...rest, dev: true } : rest
  }
  for (const d of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) visit(d, dev)
}
for (const d of Object.keys(pkg.dependencies ?? {})) visit(d, false)
for (const d of Object.keys(pkg.devDependencies ?? {})) visit(d, true)
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
