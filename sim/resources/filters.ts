/** `POST /filters/apps { in: { id: [...] } }`: the apps with those ids (the CLI's pipeline views use it). */
import type { SimContext } from "../context.ts"
import { invalidParams } from "../http/errors.ts"
import { list } from "../http/reply.ts"
import { type Route, route } from "../http/router.ts"
import { asObject } from "./body.ts"
import { renderApp } from "./render.ts"

export const filterRoutes = (ctx: SimContext): Route[] => [
  route("POST", "/filters/apps", "filter-apps#Apps", (req) => {
    const ids = asObject(asObject(req.body).in).id
    if (!Array.isArray(ids) || ids.some((x) => typeof x !== "string"))
      throw invalidParams("in.id must be a list of app ids.")
    return list(
      ctx.state.apps.filter((a) => ids.includes(a.id)).map((a) => renderApp(ctx, a)),
      ["id", "name"],
    )
  }),
]
