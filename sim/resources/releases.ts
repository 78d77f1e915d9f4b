/** Releases: list (by version unless the Range names id, as on Heroku), info by id or version, create from a slug, rollback. */
import type { SimContext } from "../context.ts"
import { invalidParams } from "../http/errors.ts"
import { created, json, list } from "../http/reply.ts"
import { type Route, route } from "../http/router.ts"
import { asObject, optString } from "./body.ts"
import { appReleases, findApp, findRelease, identity } from "./lookup.ts"
import { createRelease } from "./releaseOps.ts"
import { renderRelease } from "./render.ts"

export const releaseRoutes = (ctx: SimContext): Route[] => [
  route("GET", "/apps/:app/releases", "release#List", (req) => {
    const app = findApp(ctx, req.params.app!)
    return list(
      appReleases(ctx, app).map((r) => renderRelease(ctx, r)),
      ["version", "id"],
    )
  }),
  route("GET", "/apps/:app/releases/:release", "release#Info", (req) => {
    const app = findApp(ctx, req.params.app!)
    return json(renderRelease(ctx, findRelease(ctx, app, req.params.release!)))
  }),
  route("POST", "/apps/:app/releases", ["release#Create", "release#Rollback"], (req) => {
    const app = findApp(ctx, req.params.app!)
    const body = asObject(req.body)
    const rollbackTo = identity(body.release)
    if (rollbackTo !== undefined) {
      const target = findRelease(ctx, app, rollbackTo)
      if (target.status !== "succeeded")
        throw invalidParams(`Release v${target.version} cannot be rolled back to.`)
      // a release made before any code was deployed (or an add-on or config change then) has no
      // slug: rolling back to it would leave the app with no code, so Heroku refuses it
      if (target.slugId === null)
        throw invalidParams(
          `Release v${target.version} has no slug (no code was deployed yet): it cannot be rolled back to.`,
        )
      const release = createRelease(ctx, app, {
        description: `Rollback to v${target.version}`,
        slugId: target.slugId,
        config: target.config,
      })
      return created(renderRelease(ctx, release))
    }
    const slugId = identity(body.slug)
    if (slugId === undefined) throw invalidParams("slug or release is required.")
    const slug = ctx.state.slugs.find((s) => s.id === slugId && s.appId === app.id)
    if (slug === undefined) throw invalidParams(`Couldn't find that slug: ${slugId}.`)
    const description =
      optString(body, "description") ?? `Deploy ${slug.commit?.slice(0, 8) ?? slug.id.slice(0, 8)}`
    return created(renderRelease(ctx, createRelease(ctx, app, { description, slugId: slug.id })))
  }),
]
