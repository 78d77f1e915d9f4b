/**
 * Pipeline promotions: copy the source app's current slug to each target app as a new release,
 * in the background; targets go pending → succeeded | failed, the promotion pending → completed.
 */
import { randomUUID } from "node:crypto"
import type { SimContext } from "../context.ts"
import { invalidParams, notFound } from "../http/errors.ts"
import { created, json, list } from "../http/reply.ts"
import { type Route, route } from "../http/router.ts"
import type { PromotionRecord } from "../state/model.ts"
import { asObject } from "./body.ts"
import { appById, currentRelease, findApp, findPipeline, findRelease, identity } from "./lookup.ts"
import { createRelease } from "./releaseOps.ts"

const promote = (ctx: SimContext, promotion: PromotionRecord): void => {
  const source = ctx.state.releases.find((r) => r.id === promotion.sourceReleaseId)
  const sourceApp = appById(ctx, promotion.sourceAppId)
  for (const target of promotion.targets) {
    const app = appById(ctx, target.appId)
    if (app === undefined || source === undefined || source.slugId === null) {
      target.status = "failed"
      target.errorMessage =
        app === undefined ? "The target app no longer exists." : "The source app has no slug to promote."
      continue
    }
    const release = createRelease(ctx, app, {
      description: `Promote ${sourceApp?.name ?? "app"} v${source.version}`,
      slugId: source.slugId,
    })
    target.releaseId = release.id
    target.status = "succeeded"
  }
  promotion.status = "completed"
  promotion.updatedAt = ctx.now()
  ctx.store.save()
}

export const promotionRoutes = (ctx: SimContext): Route[] => {
  const find = (id: string): PromotionRecord => {
    const p = ctx.state.promotions.find((x) => x.id === id)
    if (p === undefined) throw notFound("pipeline_promotion", "pipeline promotion")
    return p
  }
  const render = (p: PromotionRecord) => ({
    id: p.id,
    pipeline: { id: p.pipelineId },
    source: { app: { id: p.sourceAppId }, release: { id: p.sourceReleaseId } },
    status: p.status,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  })
  return [
    route("POST", "/pipeline-promotions", "pipeline-promotion#Create", (req) => {
      const body = asObject(req.body)
      const pipeline = findPipeline(ctx, identity(body.pipeline) ?? "")
      const sourceBody = asObject(body.source)
      const sourceApp = findApp(ctx, identity(sourceBody.app) ?? "")
      const asked = identity(sourceBody.release)
      const release =
        asked === undefined ? currentRelease(ctx, sourceApp) : findRelease(ctx, sourceApp, asked)
      if (release === undefined) throw invalidParams("The source app has no release.")
      if (!Array.isArray(body.targets) || body.targets.length === 0)
        throw invalidParams("targets is required.")
      const targets = body.targets.map((t: unknown) => findApp(ctx, identity(asObject(t).app) ?? ""))
      for (const app of [sourceApp, ...targets]) {
        if (!ctx.state.couplings.some((c) => c.appId === app.id && c.pipelineId === pipeline.id))
          throw invalidParams(`${app.name} is not in the ${pipeline.name} pipeline.`)
      }
      const now = ctx.now()
      const promotion: PromotionRecord = {
        id: randomUUID(),
        pipelineId: pipeline.id,
        sourceAppId: sourceApp.id,
        sourceReleaseId: release.id,
        status: "pending",
        targets: targets.map((app) => ({
          id: randomUUID(),
          appId: app.id,
          releaseId: null,
          status: "pending",
          errorMessage: null,
        })),
        createdAt: now,
        updatedAt: now,
      }
      ctx.state.promotions.push(promotion)
      ctx.tasks.later(Math.min(ctx.provisionDelayMs, 100), () => promote(ctx, promotion))
      return created(render(promotion))
    }),
    route("GET", "/pipeline-promotions/:id", "pipeline-promotion#Info", (req) =>
      json(render(find(req.params.id!))),
    ),
    route("GET", "/pipeline-promotions/:id/promotion-targets", "pipeline-promotion-target#List", (req) => {
      const p = find(req.params.id!)
      return list(
        p.targets.map((t) => ({
          id: t.id,
          app: { id: t.appId },
          pipeline_promotion: { id: p.id },
          release: t.releaseId === null ? null : { id: t.releaseId },
          status: t.status,
          error_message: t.errorMessage,
        })),
      )
    }),
  ]
}
