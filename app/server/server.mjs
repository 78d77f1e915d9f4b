// @ts-check
/**
 * The nail salon's web process: binds $PORT, reads DATABASE_URL, serves the built frontend and the
 * API, and stops gracefully on SIGTERM (stop accepting, finish requests, close the pool, exit).
 * Runs with plain `node`: only node builtins and `pg`.
 */
import { createServer } from "node:http"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import pg from "pg"
import { digestDir } from "../digest.mjs"
import { handler } from "./routes.mjs"

const here = dirname(fileURLToPath(import.meta.url))
const webRoot = process.env.WEB_ROOT ?? join(here, "..", "web", "dist")
const port = Number(process.env.PORT ?? 3000)
const databaseUrl = process.env.DATABASE_URL

const pool =
  databaseUrl === undefined || databaseUrl === ""
    ? null
    : new pg.Pool({ connectionString: databaseUrl, max: 5, connectionTimeoutMillis: 5000 })
pool?.on("error", (e) => console.error(`database pool: ${e.message}`))

const server = createServer(
  handler({
    db: pool,
    webRoot,
    frontendDigest: digestDir(webRoot),
    release: process.env.HEROKU_RELEASE_VERSION ?? null,
  }),
)

server.listen(port, () =>
  console.log(`listening on ${port} (${process.env.HEROKU_RELEASE_VERSION ?? "dev"})`),
)

const stop = () => {
  console.log("SIGTERM: shutting down")
  server.close(() => {
    Promise.resolve(pool?.end())
      .catch(() => {})
      .finally(() => process.exit(0))
  })
  server.closeIdleConnections()
  setTimeout(() => process.exit(0), 8000).unref()
}
process.once("SIGTERM", stop)
process.once("SIGINT", stop)
