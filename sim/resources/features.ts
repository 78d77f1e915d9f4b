/**
 * App features: list, info and update (`{ enabled }`). A change takes effect on the next release or
 * restart of the dynos, as on Heroku (e.g. `runtime-dyno-metadata`'s variables).
 */
import type { SimContext } from "../context.ts"
import { invalidParams, notFound } from "../http/errors.ts"
import { json, list } from "../http/reply.ts"
import { type Route, route } from "../http/router.ts"
import { stableId } from "../state/catalog.ts"
import { type FeatureDef, featureEnabled, features } from "../state/features.ts"
import type { AppRecord } from "../state/model.ts"
import { asObject, optBoolean } from "./body.ts"
import { currentRelease, findApp } from "./lookup.ts"
import { notifyDynos } from "./releaseOps.ts"

const findFeature = (key: string): FeatureDef => {
  const f = features.find((x) => x.name === key || stableId("app-feature", x.name) === key)
  if (f === undefined) throw notFound("app_feature", "feature")
  return f
}

const render = (app: AppRecord, f: FeatureDef) => ({
  id: stableId("app-feature", f.name),
  name: f.name,
  display_name: f.displayName,
  description: f.description,
  doc_url: `https://devcenter.heroku.com/articles/${f.name}`,
  enabled: featureEnabled(app.features, f.name),
  state: f.state,
  feedback_email: "simulator@example.com",
  created_at: app.createdAt,
  updated_at: app.updatedAt,
})

export const featureRoutes = (ctx: SimContext): Route[] => [
  route("GET", "/apps/:app/features", "app-feature#List", (req) => {
    const app = findApp(ctx, req.params.app!)
    return list(
      features.map((f) => render(app, f)),
      ["id", "name"],
    )
  }),
  route("GET", "/apps/:app/features/:feature", "app-feature#Info", (req) => {
    const app = findApp(ctx, req.params.app!)
    return json(render(app, findFeature(req.params.feature!)))
  }),
  route("PATCH", "/apps/:app/features/:feature", "app-feature#Update", (req) => {
    const app = findApp(ctx, req.params.app!)
    const f = findFeature(req.params.feature!)
    const enabled = optBoolean(asObject(req.body), "enabled")
    if (enabled === undefined) throw invalidParams("enabled is required.")
    app.features[f.name] = enabled
    app.updatedAt = ctx.now()
    // no restart (as on Heroku, it applies from the next release or restart): the runner just
    // learns what a restart should start with
    const release = currentRelease(ctx, app)
    if (release !== undefined) notifyDynos(ctx, app, release)
    return json(render(app, f))
  }),
]
