/**
 * Formation: list, info, and single or batch PATCH. Accepts `size` or `dyno_size` (name or id,
 * any case) and string quantities, as `heroku ps:scale` really sends them. Scaling makes no release.
 */
import type { SimContext } from "../context.ts"
import { invalidParams, notFound } from "../http/errors.ts"
import { json, list } from "../http/reply.ts"
import { type Route, route } from "../http/router.ts"
import { dynoSizes, findDynoSize, stableId } from "../state/catalog.ts"
import type { AppRecord, FormationRecord } from "../state/model.ts"
import { asObject, type Body } from "./body.ts"
import { currentRelease, findApp, identity } from "./lookup.ts"
import { notifyDynos } from "./releaseOps.ts"
import { renderFormation } from "./render.ts"

const findProcess = (app: AppRecord, key: string): FormationRecord => {
  const f = app.formation.find((x) => x.type === key || x.id === key)
  if (f === undefined) throw notFound("formation", `process type ${key}`)
  return f
}

const sizeOf = (update: Body): string | undefined => {
  const raw = identity(update.dyno_size) ?? identity(update.size)
  if (raw === undefined) return undefined
  const size = findDynoSize(raw) ?? dynoSizes.find((s) => stableId("dyno-size", s) === raw)
  if (size === undefined) throw invalidParams(`Couldn't find that dyno size: ${raw}.`)
  return size
}

const quantityOf = (update: Body): number | undefined => {
  const q = update.quantity
  if (q === undefined || q === null) return undefined
  const n = typeof q === "string" && /^\d+$/.test(q.trim()) ? Number(q.trim()) : q
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0)
    throw invalidParams("quantity must be a non-negative integer.")
  return n
}

const applyUpdate = (ctx: SimContext, app: AppRecord, key: string, update: Body): FormationRecord => {
  const f = findProcess(app, key)
  const quantity = quantityOf(update)
  const size = sizeOf(update)
  if (quantity !== undefined) f.quantity = quantity
  if (size !== undefined) f.size = size
  f.updatedAt = ctx.now()
  return f
}

const afterScale = (ctx: SimContext, app: AppRecord): void => {
  const release = currentRelease(ctx, app)
  if (release !== undefined) notifyDynos(ctx, app, release)
}

export const formationRoutes = (ctx: SimContext): Route[] => [
  route("GET", "/apps/:app/formation", "formation#List", (req) => {
    const app = findApp(ctx, req.params.app!)
    return list(app.formation.map((f) => renderFormation(app, f)))
  }),
  route("GET", "/apps/:app/formation/:type", "formation#Info", (req) => {
    const app = findApp(ctx, req.params.app!)
    return json(renderFormation(app, findProcess(app, req.params.type!)))
  }),
  route("PATCH", "/apps/:app/formation/:type", "formation#Update", (req) => {
    const app = findApp(ctx, req.params.app!)
    const f = applyUpdate(ctx, app, req.params.type!, asObject(req.body))
    afterScale(ctx, app)
    return json(renderFormation(app, f))
  }),
  route("PATCH", "/apps/:app/formation", "formation#Batch Update", (req) => {
    const app = findApp(ctx, req.params.app!)
    const updates = asObject(req.body).updates
    if (!Array.isArray(updates)) throw invalidParams("updates must be an array.")
    const parsed = updates.map((u: unknown) => {
      const body = asObject(u)
      const type = identity(body.type) ?? identity(body.id)
      if (type === undefined) throw invalidParams("Each update needs a type.")
      findProcess(app, type)
      sizeOf(body)
      quantityOf(body)
      return { type, body }
    })
    const changed = parsed.map(({ type, body }) => applyUpdate(ctx, app, type, body))
    afterScale(ctx, app)
    return json(changed.map((f) => renderFormation(app, f)))
  }),
]
