// @ts-check
/**
 * The app's HTTP routes: `/health` (200 only when the database answers, with the release version
 * and the digest of the frontend being served), `/api/services`, and the static frontend.
 */
import { staticFile } from "./static.mjs"

/**
 * @typedef {object} AppDeps
 * @property {{ query: (sql: string) => Promise<{ rows: Array<Record<string, unknown>> }> } | null} db
 * @property {string} webRoot the frontend build directory
 * @property {string | null} frontendDigest
 * @property {string | null} release e.g. "v12"
 */

/**
 * @param {import("node:http").ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 */
const json = (res, status, body) => {
  res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" })
  res.end(`${JSON.stringify(body)}\n`)
}

/** @param {AppDeps} deps */
const health = async (deps) => {
  const base = { release: deps.release, frontendDigest: deps.frontendDigest }
  if (deps.db === null)
    return { status: 503, body: { ...base, ok: false, database: "DATABASE_URL is not set" } }
  try {
    await deps.db.query("select 1")
    return { status: 200, body: { ...base, ok: true, database: "ok" } }
  } catch (e) {
    return { status: 503, body: { ...base, ok: false, database: e instanceof Error ? e.message : String(e) } }
  }
}

const servicesSql = `
  select s.id, s.name, c.id as category_id, c.name as category, s.duration_minutes, s.price_cents
  from services s join service_categories c on c.id = s.category_id
  order by c.position, s.position, s.name`

/**
 * The request handler.
 * @param {AppDeps} deps
 * @returns {(req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => Promise<void>}
 */
export const handler = (deps) => async (req, res) => {
  const path = new URL(req.url ?? "/", "http://app").pathname
  if (req.method !== "GET" && req.method !== "HEAD") return json(res, 405, { error: "method not allowed" })
  if (path === "/health") {
    const { status, body } = await health(deps)
    return json(res, status, body)
  }
  if (path === "/api/services") {
    if (deps.db === null) return json(res, 503, { error: "no database" })
    try {
      return json(res, 200, (await deps.db.query(servicesSql)).rows)
    } catch (e) {
      return json(res, 503, { error: e instanceof Error ? e.message : String(e) })
    }
  }
  if (path.startsWith("/api/")) return json(res, 404, { error: "not found" })
  const file = await staticFile(deps.webRoot, path)
  if (file === null) return json(res, 404, { error: "not found" })
  res.writeHead(200, { "Content-Type": file.type })
  res.end(req.method === "HEAD" ? undefined : file.body)
}
