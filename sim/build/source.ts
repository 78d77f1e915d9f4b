/** Source blobs: a build accepts only a source uploaded to this simulator's own blob store. */
import type { SimContext } from "../context.ts"

const SOURCE = /^\/blobs\/sources\/([0-9a-f-]{36})$/

/**
 * The source id a `source_blob.url` names, or null when it is not one of this simulator's sources.
 * The URL may carry the blob signature the API handed out (a query string); only its origin and path
 * decide which source it is.
 */
export const sourceIdOf = (ctx: SimContext, url: string): string | null => {
  let parsed: URL
  let base: URL
  try {
    parsed = new URL(url)
    base = new URL(ctx.baseUrl())
  } catch {
    return null
  }
  if (parsed.origin !== base.origin) return null
  const id = SOURCE.exec(parsed.pathname)?.[1]
  return id !== undefined && ctx.state.sources.includes(id) ? id : null
}
