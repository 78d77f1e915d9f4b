/**
 * The simulator's own "presigned" URLs, outside the API (no Accept): source uploads and downloads,
 * slug downloads, and build output streams. Each needs the signature the API put in the URL it
 * handed out (`?sig=`), or the API token; uploads are capped (`maxBlobBytes`).
 */
import { createReadStream, createWriteStream, existsSync } from "node:fs"
import { mkdir, rename, rm } from "node:fs/promises"
import type { IncomingMessage, ServerResponse } from "node:http"
import { join } from "node:path"
import { Transform } from "node:stream"
import { pipeline } from "node:stream/promises"
import * as tar from "tar"
import type { SimContext } from "../context.ts"
import { transfers } from "../dataapi/transfers.ts"
import { hasToken, maxBlobBytes, sendError, tooLarge, type UrlSigner, unauthorized } from "../http/limits.ts"

export interface BlobAccess {
  readonly signer: UrlSigner
  readonly tokens: readonly string[]
}

const BLOB_PATH = /^\/(blobs|streams)\//

/** A stream that fails once more than `limit` bytes went through. */
const capped = (limit: number) => {
  let size = 0
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length
      done(size > limit ? tooLarge(limit) : null, chunk)
    },
  })
}

/** Stores an upload atomically; false (after answering 413) when it is too large. */
const receive = async (req: IncomingMessage, res: ServerResponse, file: string): Promise<boolean> => {
  if (Number(req.headers["content-length"] ?? 0) > maxBlobBytes) {
    sendError(res, tooLarge(maxBlobBytes))
    return false
  }
  const tmp = `${file}.${process.pid}.tmp`
  try {
    await pipeline(req, capped(maxBlobBytes), createWriteStream(tmp, { mode: 0o600 }))
  } catch (e) {
    await rm(tmp, { force: true })
    if ((e as { status?: unknown }).status !== 413) throw e
    sendError(res, tooLarge(maxBlobBytes))
    return false
  }
  await rename(tmp, file)
  return true
}

const UUID = "[0-9a-f-]{36}"
const SOURCE = new RegExp(`^/blobs/sources/(${UUID})$`)
const SLUG = new RegExp(`^/blobs/slugs/(${UUID})$`)
const STREAM = new RegExp(`^/streams/builds/(${UUID})$`)
const RELEASE_STREAM = new RegExp(`^/streams/releases/(${UUID})$`)
const BACKUP = new RegExp(`^/blobs/backups/(${UUID})$`)

/** Sends a text answer; returns true ("handled"). */
const text = (res: ServerResponse, status: number, body: string): true => {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" }).end(body)
  return true
}

const streamBuild = async (ctx: SimContext, id: string, res: ServerResponse): Promise<void> => {
  const build = ctx.state.builds.find((b) => b.id === id)
  if (build === undefined) {
    text(res, 404, "not found\n")
    return
  }
  res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" })
  let sent = 0
  for (;;) {
    if (build.output.length > sent) {
      res.write(build.output.slice(sent))
      sent = build.output.length
    }
    if (build.status !== "pending" || res.destroyed) break
    await new Promise((r) => setTimeout(r, 50))
  }
  res.end()
}

/** Serves a blob route; returns false when the path is not one. */
export const serveBlob = async (
  ctx: SimContext,
  access: BlobAccess,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
) => {
  if (!BLOB_PATH.test(path)) return false
  const sig = new URL(req.url ?? "/", "http://sim").searchParams.get("sig")
  if (!access.signer.verify(path, sig) && !hasToken(req, access.tokens)) {
    sendError(res, unauthorized())
    return true
  }
  const source = SOURCE.exec(path)
  if (source !== null) {
    const id = source[1]!
    if (!ctx.state.sources.includes(id)) return text(res, 404, "no such source\n")
    const file = join(ctx.dataDir, "sources", `${id}.tgz`)
    if (req.method === "PUT") {
      await mkdir(join(ctx.dataDir, "sources"), { recursive: true })
      if (await receive(req, res, file)) text(res, 200, "")
    } else if (req.method === "GET") {
      if (!existsSync(file)) return text(res, 404, "nothing uploaded\n")
      res.writeHead(200, { "Content-Type": "application/octet-stream" })
      await pipeline(createReadStream(file), res)
    } else text(res, 405, "method not allowed\n")
    return true
  }
  const slug = SLUG.exec(path)
  if (slug !== null && req.method === "GET") {
    const dir = join(ctx.dataDir, "slugs", slug[1]!)
    if (!existsSync(dir)) return text(res, 404, "no such slug\n")
    res.writeHead(200, { "Content-Type": "application/gzip" })
    await pipeline(tar.c({ gzip: true, cwd: dir }, ["."]), res)
    return true
  }
  const backup = BACKUP.exec(path)
  if (backup !== null && req.method === "GET") {
    // the Data API's public-url of a backup (`heroku pg:backups:url`): the dump itself
    const t = transfers(ctx).find((x) => x.uuid === backup[1] && x.kind === "backup" && x.succeeded)
    if (t === undefined || !existsSync(t.file)) return text(res, 404, "no such backup\n")
    res.writeHead(200, { "Content-Type": "application/octet-stream" })
    await pipeline(createReadStream(t.file), res)
    return true
  }
  const releaseStream = RELEASE_STREAM.exec(path)
  if (releaseStream !== null && req.method === "GET") {
    const release = ctx.state.releases.find((r) => r.id === releaseStream[1])
    return text(res, release === undefined ? 404 : 200, release?.output ?? "not found\n")
  }
  const stream = STREAM.exec(path)
  if (stream !== null && req.method === "GET") {
    await streamBuild(ctx, stream[1]!, res)
    return true
  }
  return false
}
