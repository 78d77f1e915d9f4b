/** Config vars: the whole map, and PATCH merges (`null` deletes) as exactly one release. */
import type { SimContext } from "../context.ts"
import { invalidParams } from "../http/errors.ts"
import { json } from "../http/reply.ts"
import { type Route, route } from "../http/router.ts"
import { findApp, findRelease } from "./lookup.ts"
import { changeConfig } from "./releaseOps.ts"

const KEY = /^\w+$/

const describe = (changes: Record<string, string | null>): string => {
  const set = Object.keys(changes).filter((k) => changes[k] !== null)
  const removed = Object.keys(changes).filter((k) => changes[k] === null)
  const parts = [
    ...(set.length > 0 ? [`Set ${set.join(", ")}`] : []),
    ...(removed.length > 0 ? [`${set.length > 0 ? "remove" : "Remove"} ${removed.join(", ")}`] : []),
  ]
  return `${parts.join(" and ") || "Update"} config vars`
}

export const configRoutes = (ctx: SimContext): Route[] => [
  route("GET", "/apps/:app/config-vars", "config-var#Info for App", (req) =>
    json(findApp(ctx, req.params.app!).config),
  ),
  route("GET", "/apps/:app/releases/:release/config-vars", "config-var#Info for App Release", (req) => {
    const app = findApp(ctx, req.params.app!)
    return json(findRelease(ctx, app, req.params.release!).config)
  }),
  route("PATCH", "/apps/:app/config-vars", "config-var#Update", (req) => {
    const app = findApp(ctx, req.params.app!)
    const body = req.body
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw invalidParams("Config vars must be an object.")
    }
    const changes: Record<string, string | null> = {}
    for (const [k, v] of Object.entries(body)) {
      if (!KEY.test(k)) throw invalidParams(`Invalid config var name: ${k}`)
      if (v === null) changes[k] = null
      else if (typeof v === "string" || typeof v === "number" || typeof v === "boolean")
        changes[k] = String(v)
      else throw invalidParams(`Config var ${k} must be a string or null.`)
    }
    return json(changeConfig(ctx, app, changes, describe(changes)))
  }),
]
