/** Sources, builds and slugs. Blob uploads and build output are served by `blobs.ts`. */
import { randomUUID } from "node:crypto"
import { runBuild } from "../build/builder.ts"
import { sourceIdOf } from "../build/source.ts"
import type { SimContext } from "../context.ts"
import { invalidParams, notFound } from "../http/errors.ts"
import { created, json, list } from "../http/reply.ts"
import { type Route, route } from "../http/router.ts"
import { ref } from "../state/catalog.ts"
import type { BuildRecord, SlugRecord } from "../state/model.ts"
import { asObject, optString, reqString } from "./body.ts"
import { findApp } from "./lookup.ts"
import { user } from "./render.ts"

const renderBuild = (ctx: SimContext, b: BuildRecord) => ({
  id: b.id,
  app: { id: b.appId },
  status: b.status,
  source_blob: { ...b.sourceBlob, version_description: null },
  buildpacks: b.buildpacks.map((url) => ({ url, name: url })),
  output_stream_url: ctx.blobUrl(`/streams/builds/${b.id}`),
  release: b.releaseId === null ? null : { id: b.releaseId },
  slug: b.slugId === null ? null : { id: b.slugId },
  stack: b.stack,
  generation: "cedar",
  user: user(ctx),
  created_at: b.createdAt,
  updated_at: b.updatedAt,
})

const renderSlug = (ctx: SimContext, s: SlugRecord) => ({
  id: s.id,
  blob: { method: "GET", url: ctx.blobUrl(`/blobs/slugs/${s.id}`) },
  buildpack_provided_description: "Node.js",
  checksum: s.checksum,
  commit: s.commit,
  commit_description: null,
  process_types: s.processTypes,
  size: s.size,
  stack: ref("stack", s.stack),
  created_at: s.createdAt,
  updated_at: s.updatedAt,
  deleted_at: null,
})

export const buildRoutes = (ctx: SimContext): Route[] => [
  route("POST", "/sources", "source#Create", () => {
    const id = randomUUID()
    ctx.state.sources.push(id)
    const url = ctx.blobUrl(`/blobs/sources/${id}`)
    return created({ source_blob: { get_url: url, put_url: url } })
  }),
  route("POST", "/apps/:app/builds", "build#Create", (req) => {
    const app = findApp(ctx, req.params.app!)
    const body = asObject(req.body)
    const blob = asObject(body.source_blob)
    const url = reqString(blob, "url")
    if (sourceIdOf(ctx, url) === null)
      throw invalidParams("source_blob.url must be a source created with POST /sources on this simulator.")
    const buildpacks = Array.isArray(body.buildpacks)
      ? body.buildpacks.map(
          (b: unknown) => optString(asObject(b), "url") ?? optString(asObject(b), "name") ?? "",
        )
      : app.buildpacks
    if (buildpacks.some((b) => b === "")) throw invalidParams("Each buildpack needs a url or a name.")
    const now = ctx.now()
    const build: BuildRecord = {
      id: randomUUID(),
      appId: app.id,
      status: "pending",
      sourceBlob: {
        url,
        checksum: optString(blob, "checksum") ?? null,
        version: optString(blob, "version") ?? null,
      },
      buildpacks,
      stack: app.buildStack,
      slugId: null,
      releaseId: null,
      output: "",
      createdAt: now,
      updatedAt: now,
    }
    ctx.state.builds.push(build)
    ctx.tasks.run(() => runBuild(ctx, build))
    return created(renderBuild(ctx, build))
  }),
  route("GET", "/apps/:app/builds", "build#List", (req) => {
    const app = findApp(ctx, req.params.app!)
    const builds = ctx.state.builds.filter((b) => b.appId === app.id)
    return list(
      builds.map((b) => ({ ...renderBuild(ctx, b), started_at: b.createdAt })),
      ["id", "started_at"],
    )
  }),
  route("GET", "/apps/:app/builds/:build", "build#Info", (req) => {
    const app = findApp(ctx, req.params.app!)
    const build = ctx.state.builds.find((b) => b.id === req.params.build && b.appId === app.id)
    if (build === undefined) throw notFound("build", "build")
    return json(renderBuild(ctx, build))
  }),
  route("GET", "/apps/:app/slugs/:slug", "slug#Info", (req) => {
    const app = findApp(ctx, req.params.app!)
    const slug = ctx.state.slugs.find((s) => s.id === req.params.slug && s.appId === app.id)
    if (slug === undefined) throw notFound("slug", "slug")
    return json(renderSlug(ctx, slug))
  }),
]
