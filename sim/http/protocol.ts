/** The Platform API's wire rules: token auth (Bearer or Basic `:token`), the v3 Accept header, ETags. */
import { createHash } from "node:crypto"
import type { IncomingHttpHeaders } from "node:http"

/** The token from `Authorization: Bearer <t>` or `Basic base64(":" + t)`, if any. */
export const tokenOf = (headers: IncomingHttpHeaders): string | undefined => {
  const auth = headers.authorization
  if (auth === undefined) return undefined
  const [scheme, value] = auth.trim().split(/\s+/, 2)
  if (value === undefined) return undefined
  if (scheme?.toLowerCase() === "bearer") return value
  if (scheme?.toLowerCase() === "basic") {
    const decoded = Buffer.from(value, "base64").toString("utf8")
    const colon = decoded.indexOf(":")
    return colon >= 0 ? decoded.slice(colon + 1) : undefined
  }
  return undefined
}

/** Whether Accept asks for `application/vnd.heroku+json; version=3` or `version=3.<variant>`. */
export const acceptsV3 = (headers: IncomingHttpHeaders): boolean => {
  const accept = headers.accept
  if (accept === undefined) return false
  return accept
    .split(",")
    .some((part) => /^\s*application\/vnd\.heroku\+json\s*;\s*version=3(\.[\w-]+)?\s*$/i.test(part))
}

export const etagOf = (body: string): string => `"${createHash("sha1").update(body).digest("hex")}"`

/** Whether `If-None-Match` lists this ETag (or `*`). */
export const notModified = (headers: IncomingHttpHeaders, etag: string): boolean => {
  const inm = headers["if-none-match"]
  if (inm === undefined) return false
  return inm.split(",").some((t) => {
    const v = t.trim()
    return v === "*" || v === etag || v === `W/${etag}`
  })
}

export const serverErrorId = (status: number): string =>
  status === 503
    ? "service_unavailable"
    : status === 502
      ? "bad_gateway"
      : status === 504
        ? "gateway_timeout"
        : "internal_server_error"
