/** Source blobs: a build accepts only a source uploaded to this simulator's own blob store. */
import type { SimContext } from "../context.ts"

/** The source id a `source_blob.url` names, or null when it is not one of this simulator's sources. */
export const sourceIdOf = (ctx: SimContext, url: string): string | null => {
  const prefix = `${ctx.baseUrl()}/blobs/sources/`
  if (!url.startsWith(prefix)) return null
  const id = url.slice(prefix.length)
  return ctx.state.sources.includes(id) ? id : null
}
