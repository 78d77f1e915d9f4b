/**
 * A log session's `logplex_url`: the app's recent log lines (filtered by dyno or source), then, for
 * a `tail` session, every new line as it happens until the client goes away. Served as server-sent
 * events to a client that accepts them (the Heroku CLI reads logs with an EventSource), else as
 * plain text. A session expires five minutes after it was created.
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import type { LogSession, SimContext } from "../context.ts"

const LOGS = /^\/streams\/logs\/([0-9a-f-]{36})$/

const matches = (session: LogSession) => (line: string) => {
  const source = / (app|heroku)\[([^\]]+)\]: /.exec(line)
  if (source === null) return false
  if (session.source !== null && source[1] !== session.source) return false
  const dyno = source[2]!
  return session.dyno === null || dyno === session.dyno || dyno.startsWith(`${session.dyno}.`)
}

/** Serves a log stream; returns false when the path is not one. */
export const serveLogs = (ctx: SimContext, req: IncomingMessage, res: ServerResponse, path: string) => {
  const m = LOGS.exec(path)
  if (m === null || req.method !== "GET") return false
  const now = Date.now()
  for (const [id, s] of ctx.logSessions) if (s.expires < now) ctx.logSessions.delete(id)
  const session = ctx.logSessions.get(m[1]!)
  if (session === undefined) {
    res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("no such log session\n")
    return true
  }
  const log = ctx.dynoRunner.logs?.(session.appName) ?? null
  const keep = matches(session)
  const sse = (req.headers.accept ?? "").includes("text/event-stream")
  res.writeHead(200, {
    "Content-Type": sse ? "text/event-stream" : "text/plain; charset=utf-8",
    "Cache-Control": "no-cache",
  })
  let n = 0
  const send = (line: string) => res.write(sse ? `id: ${++n}\ndata: ${line}\n\n` : `${line}\n`)
  for (const line of (log?.recent() ?? []).filter(keep).slice(-session.lines)) send(line)
  if (!session.tail || log === null) {
    res.end()
    return true
  }
  const unsubscribe = log.subscribe((line) => {
    if (keep(line)) send(line)
  })
  res.once("close", unsubscribe)
  return true
}
