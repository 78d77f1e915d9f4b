/** Pipelines and pipeline couplings (`GET /apps/{app}/pipeline-couplings` answers one object). */
import { randomUUID } from "node:crypto"
import type { SimContext } from "../context.ts"
import { invalidParams, notFound } from "../http/errors.ts"
import { created, json, list } from "../http/reply.ts"
import { type Route, route } from "../http/router.ts"
import { ref } from "../state/catalog.ts"
import type { CouplingRecord, PipelineRecord } from "../state/model.ts"
import { asObject, optString, reqString } from "./body.ts"
import { findApp, findPipeline, identity } from "./lookup.ts"

const NAME = /^[a-z][a-z0-9-]{2,29}$/
const STAGES = ["test", "review", "development", "staging", "production"] as const

const stageOf = (value: unknown): CouplingRecord["stage"] => {
  const stage = STAGES.find((s) => s === value)
  if (stage === undefined) throw invalidParams(`stage must be one of: ${STAGES.join(", ")}.`)
  return stage
}

export const pipelineRoutes = (ctx: SimContext): Route[] => {
  const renderPipeline = (p: PipelineRecord) => ({
    id: p.id,
    name: p.name,
    owner: { id: ctx.state.account.id, type: "user" },
    generation: ref("generation", "cedar"),
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  })
  const renderCoupling = (c: CouplingRecord) => {
    const pipeline = ctx.state.pipelines.find((p) => p.id === c.pipelineId)
    return {
      id: c.id,
      app: { id: c.appId },
      pipeline: { id: c.pipelineId, name: pipeline?.name ?? "deleted-pipeline" },
      stage: c.stage,
      created_at: c.createdAt,
      updated_at: c.updatedAt,
    }
  }
  const coupling = (id: string): CouplingRecord => {
    const c = ctx.state.couplings.find((x) => x.id === id)
    if (c === undefined) throw notFound("pipeline_coupling", "pipeline coupling")
    return c
  }
  const checkName = (name: string, self?: PipelineRecord) => {
    if (!NAME.test(name)) throw invalidParams("Pipeline name must match ^[a-z][a-z0-9-]{2,29}$.")
    if (ctx.state.pipelines.some((p) => p.name === name && p !== self))
      throw invalidParams("Name is already taken")
  }
  return [
    route("POST", "/pipelines", "pipeline#Create", (req) => {
      const name = reqString(asObject(req.body), "name")
      checkName(name)
      const now = ctx.now()
      const p = { id: randomUUID(), name, createdAt: now, updatedAt: now }
      ctx.state.pipelines.push(p)
      return created(renderPipeline(p))
    }),
    route("GET", "/pipelines", "pipeline#List", (req) => {
      // `heroku pipelines:info NAME` looks pipelines up with `?eq[name]=NAME`
      const name = req.query.get("eq[name]")
      const found = ctx.state.pipelines.filter((p) => name === null || p.name === name)
      return list(found.map(renderPipeline), ["id", "name"])
    }),
    route("GET", "/pipelines/:pipeline", "pipeline#Info", (req) =>
      json(renderPipeline(findPipeline(ctx, req.params.pipeline!))),
    ),
    route("PATCH", "/pipelines/:pipeline", "pipeline#Update", (req) => {
      const p = findPipeline(ctx, req.params.pipeline!)
      const name = optString(asObject(req.body), "name")
      if (name !== undefined) {
        checkName(name, p)
        p.name = name
      }
      p.updatedAt = ctx.now()
      return json(renderPipeline(p))
    }),
    route("DELETE", "/pipelines/:pipeline", "pipeline#Delete", (req) => {
      const p = findPipeline(ctx, req.params.pipeline!)
      ctx.state.pipelines = ctx.state.pipelines.filter((x) => x.id !== p.id)
      ctx.state.couplings = ctx.state.couplings.filter((c) => c.pipelineId !== p.id)
      return json(renderPipeline(p))
    }),
    route("POST", "/pipeline-couplings", "pipeline-coupling#Create", (req) => {
      const body = asObject(req.body)
      const app = findApp(ctx, identity(body.app) ?? "")
      const pipeline = findPipeline(ctx, identity(body.pipeline) ?? "")
      const stage = stageOf(body.stage)
      if (ctx.state.couplings.some((c) => c.appId === app.id)) {
        throw invalidParams(`${app.name} is already in a pipeline.`)
      }
      const now = ctx.now()
      const c = {
        id: randomUUID(),
        appId: app.id,
        pipelineId: pipeline.id,
        stage,
        createdAt: now,
        updatedAt: now,
      }
      ctx.state.couplings.push(c)
      return created(renderCoupling(c))
    }),
    route("GET", "/pipeline-couplings", "pipeline-coupling#List", () =>
      list(ctx.state.couplings.map(renderCoupling)),
    ),
    route("GET", "/pipeline-couplings/:id", "pipeline-coupling#Info", (req) =>
      json(renderCoupling(coupling(req.params.id!))),
    ),
    route("PATCH", "/pipeline-couplings/:id", "pipeline-coupling#Update", (req) => {
      const c = coupling(req.params.id!)
      c.stage = stageOf(asObject(req.body).stage)
      c.updatedAt = ctx.now()
      return json(renderCoupling(c))
    }),
    route("DELETE", "/pipeline-couplings/:id", "pipeline-coupling#Delete", (req) => {
      const c = coupling(req.params.id!)
      ctx.state.couplings = ctx.state.couplings.filter((x) => x.id !== c.id)
      return json(renderCoupling(c))
    }),
    route("GET", "/pipelines/:pipeline/pipeline-couplings", "pipeline-coupling#List By Pipeline", (req) => {
      const p = findPipeline(ctx, req.params.pipeline!)
      return list(ctx.state.couplings.filter((c) => c.pipelineId === p.id).map(renderCoupling))
    }),
    route("GET", "/apps/:app/pipeline-couplings", "pipeline-coupling#Info By App", (req) => {
      const app = findApp(ctx, req.params.app!)
      const c = ctx.state.couplings.find((x) => x.appId === app.id)
      if (c === undefined) throw notFound("pipeline_coupling", "pipeline coupling")
      return json(renderCoupling(c))
    }),
  ]
}
