/**
 * Bounded request bodies and the simulator's own auth checks outside the API pipeline: the admin
 * routes take the API token; blob and stream URLs carry an HMAC signature bound to their path
 * (like Heroku's presigned S3 URLs), or the API token, so nothing outside a client's reach is open.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto"
import type { IncomingMessage, ServerResponse } from "node:http"
import { ApiError } from "./errors.ts"
import { tokenOf } from "./protocol.ts"

/** JSON bodies (API and admin routes). */
export const maxJsonBytes = 1024 * 1024
/** Source uploads. */
export const maxBlobBytes = 512 * 1024 * 1024

export const tooLarge = (limit: number): ApiError =>
  new ApiError(413, "request_entity_too_large", `Request body is larger than the ${limit} bytes allowed.`)

/** Reads a whole body, refusing (without reading on) one longer than `limit` bytes. */
export const readLimited = async (req: IncomingMessage, limit: number): Promise<Buffer> => {
  if (Number(req.headers["content-length"] ?? 0) > limit) throw tooLarge(limit)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw tooLarge(limit)
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/** Answers an error in Heroku's shape; a body left unread closes the connection after the answer. */
export const sendError = (res: ServerResponse, e: ApiError): void => {
  res.writeHead(e.status, { "Content-Type": "application/json; charset=utf-8", Connection: "close" })
  res.end(JSON.stringify(e.body()))
}

export const unauthorized = (): ApiError => new ApiError(401, "unauthorized", "Invalid credentials provided.")

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** Whether the request carries one of the accepted API tokens. */
export const hasToken = (req: IncomingMessage, tokens: readonly string[]): boolean => {
  const given = tokenOf(req.headers)
  return given !== undefined && tokens.some((t) => same(t, given))
}

export interface UrlSigner {
  /** `path?sig=...`: a URL path anyone holding it may use. */
  readonly sign: (path: string) => string
  readonly verify: (path: string, signature: string | null) => boolean
}

/** Signs with a key derived from the API tokens, so signed URLs outlive a restart with the same token. */
export const urlSigner = (tokens: readonly string[]): UrlSigner => {
  const key =
    tokens.length === 0
      ? randomBytes(32)
      : createHash("sha256")
          .update(`reconcile-sim-blobs\0${tokens.join("\0")}`)
          .digest()
  const mac = (path: string) => createHmac("sha256", key).update(path).digest("base64url")
  return {
    sign: (path) => `${path}?sig=${mac(path)}`,
    verify: (path, signature) => signature !== null && same(mac(path), signature),
  }
}
