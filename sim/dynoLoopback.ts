/**
 * Keeps dynos on loopback: a small script preloaded into every dyno's Node (`NODE_OPTIONS=--require`)
 * makes a server that names no host, or a wildcard one (`0.0.0.0`, `::`), listen on 127.0.0.1, so
 * app processes are reachable through the simulator's router only, never from other machines.
 */
import { mkdirSync, realpathSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"

const script = `"use strict"
// Written by the Heroku simulator: dynos listen on loopback only.
const net = require("node:net")
const listen = net.Server.prototype.listen
const wildcard = (h) => h === undefined || h === null || h === "" || h === "0.0.0.0" || h === "::"
net.Server.prototype.listen = function (...args) {
  const first = args[0]
  if (typeof first === "number" || (typeof first === "string" && /^\\d+$/.test(first))) {
    if (typeof args[1] === "string" || args[1] === null || args[1] === undefined && args.length > 1) {
      if (wildcard(args[1])) args[1] = "127.0.0.1"
    } else args.splice(1, 0, "127.0.0.1")
  } else if (first !== null && typeof first === "object" && first.port !== undefined && first.path === undefined) {
    if (wildcard(first.host)) args[0] = { ...first, host: "127.0.0.1" }
  }
  return listen.apply(this, args)
}
`

/**
 * Writes the preload script beside the real slugs folder of `dataDir` (where the dyno user can reach
 * it, see dynoUser.ts) and returns its real path.
 */
export const writeLoopbackPreload = (dataDir: string): string => {
  mkdirSync(join(dataDir, "slugs"), { recursive: true })
  const dir = dirname(realpathSync(join(dataDir, "slugs")))
  const file = join(dir, "dyno-loopback.cjs")
  writeFileSync(file, script, { mode: 0o644 })
  return file
}

/** `NODE_OPTIONS` for a dyno: the app's own options plus the preload. */
export const withPreload = (
  nodeOptions: string | undefined,
  preload: string | undefined,
): string | undefined =>
  preload === undefined ? nodeOptions : `--require ${JSON.stringify(preload)} ${nodeOptions ?? ""}`.trim()
