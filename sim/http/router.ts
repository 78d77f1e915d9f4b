/**
 * A tiny route table: patterns like `GET /apps/:app/releases/:release`, matched one path segment at a
 * time. Each route names the official schema link it implements (`definition#Title`), which the
 * contract test checks against the schema.
 */
import type { IncomingHttpHeaders } from "node:http"
import type { Reply } from "./reply.ts"

export type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE"

/** What a handler sees of one request. */
export interface Request {
  readonly method: Method
  readonly path: string
  readonly params: Readonly<Record<string, string>>
  /** The query string (`/pipelines?eq[name]=x`, `/apps/a/log-drains?extended=true`). */
  readonly query: URLSearchParams
  readonly headers: IncomingHttpHeaders
  readonly body: unknown
}

export interface Route {
  readonly method: Method
  readonly pattern: string
  /** The schema links this route implements, as `definition#Title`, e.g. `app#Info`. */
  readonly links: readonly string[]
  readonly handle: (req: Request) => Reply | Promise<Reply>
}

export const route = (
  method: Method,
  pattern: string,
  link: string | readonly string[] | null,
  handle: Route["handle"],
): Route => ({
  method,
  pattern,
  links: link === null ? [] : typeof link === "string" ? [link] : link,
  handle,
})

const segments = (path: string): string[] => path.split("/").filter((s) => s.length > 0)

/** Matches a path against a pattern; returns the decoded params or null. */
export const matchPattern = (pattern: string, path: string): Record<string, string> | null => {
  const want = segments(pattern)
  const got = segments(path)
  if (want.length !== got.length) return null
  const params: Record<string, string> = {}
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!
    const g = got[i]!
    if (w.startsWith(":")) {
      try {
        params[w.slice(1)] = decodeURIComponent(g)
      } catch {
        return null
      }
    } else if (w !== g) return null
  }
  return params
}

export interface Match {
  readonly route: Route
  readonly params: Record<string, string>
}

/** Finds the route for a method and path; `allowed` lists methods that matched the path. */
export const findRoute = (
  routes: readonly Route[],
  method: string,
  path: string,
): { match: Match | null; pathKnown: boolean } => {
  let pathKnown = false
  for (const r of routes) {
    const params = matchPattern(r.pattern, path)
    if (params === null) continue
    pathKnown = true
    if (r.method === method) return { match: { route: r, params }, pathKnown }
  }
  return { match: null, pathKnown }
}
