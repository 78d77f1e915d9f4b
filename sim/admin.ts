/**
 * The admin routes under `/__sim/` (only when `admin: true`): the request log, counters, a reset of
 * both, the fault configuration (GET, and PUT `{ ...faults, seed? }` to replace it), and
 * `POST /__sim/scheduled-backups { at? }`, which takes the scheduled backups due at that time. They take
 * the same token as the API (they can change fault injection and read every request path).
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import { parseFaultConfig } from "./faults/config.ts"
import type { FaultInjector } from "./faults/injector.ts"
import { ApiError } from "./http/errors.ts"
import { hasToken, maxJsonBytes, readLimited, sendError, unauthorized } from "./http/limits.ts"
import type { Recorder } from "./observe/recorder.ts"

const send = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8" }).end(JSON.stringify(body))
}

const readJson = async (req: IncomingMessage): Promise<unknown> => {
  const raw = (await readLimited(req, maxJsonBytes)).toString("utf8")
  return raw.trim() === "" ? {} : JSON.parse(raw)
}

export const serveAdmin = async (
  deps: {
    readonly recorder: Recorder
    readonly faults: FaultInjector
    readonly tokens: readonly string[]
    /** Takes the scheduled backups due at a time (a test hook); resolves with their names. */
    readonly runSchedules: (at?: Date) => Promise<string[]>
  },
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> => {
  const method = req.method ?? "GET"
  const key = `${method} ${path.replace(/\/$/, "")}`
  if (!hasToken(req, deps.tokens)) return sendError(res, unauthorized())
  try {
    if (key === "GET /__sim/requests") return send(res, 200, deps.recorder.entries())
    if (key === "GET /__sim/counters") return send(res, 200, deps.recorder.counters())
    if (key === "POST /__sim/reset") {
      deps.recorder.reset()
      return send(res, 200, { ok: true })
    }
    if (key === "POST /__sim/scheduled-backups") {
      const at = (await readJson(req)) as { at?: unknown }
      const when = typeof at.at === "string" ? new Date(at.at) : new Date()
      if (Number.isNaN(when.getTime()))
        return send(res, 422, { id: "invalid_params", message: "at is not a time." })
      return send(res, 200, { backups: await deps.runSchedules(when) })
    }
    if (key === "GET /__sim/faults") return send(res, 200, deps.faults.current)
    if (key === "PUT /__sim/faults") {
      const body = await readJson(req)
      const config = parseFaultConfig(body)
      const seed = (body as { seed?: unknown }).seed
      deps.faults.set(config, typeof seed === "number" ? seed : undefined)
      return send(res, 200, config)
    }
    send(res, 404, { id: "not_found", message: `No admin route ${key}.` })
  } catch (e) {
    if (e instanceof ApiError) return sendError(res, e)
    send(res, 422, { id: "invalid_params", message: e instanceof Error ? e.message : String(e) })
  }
}
