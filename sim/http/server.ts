/**
 * The request pipeline for the Heroku routes: faults (latency, drop, 429 burst, 5xx), auth, Accept,
 * rate limit, routing, the handler, Range paging, ETag/304, and finally "commit then drop". Every
 * API request lands in the request log with the fault that hit it.
 */
import { randomUUID } from "node:crypto"
import type { IncomingMessage, ServerResponse } from "node:http"
import type { FaultKind } from "../faults/config.ts"
import type { FaultInjector } from "../faults/injector.ts"
import type { Recorder } from "../observe/recorder.ts"
import { ApiError, badRequest } from "./errors.ts"
import { hasToken, maxJsonBytes, readLimited, sendError, unauthorized } from "./limits.ts"
import { acceptsV3, etagOf, notModified, serverErrorId } from "./protocol.ts"
import { paginate, parseRange } from "./range.ts"
import type { TokenBucket } from "./rateLimit.ts"
import { findRoute, type Method, type Route } from "./router.ts"

export interface ApiDeps {
  readonly routes: readonly Route[]
  readonly tokens: readonly string[]
  readonly bucket: TokenBucket
  readonly faults: FaultInjector
  readonly recorder: Recorder
  /** Persists state after a mutating request. */
  readonly save: () => void
  readonly onError: (error: unknown) => void
}

interface Answer {
  readonly status: number
  readonly body: unknown
  readonly headers?: Readonly<Record<string, string>>
}

const parseJson = (raw: string): unknown => {
  if (raw.trim() === "") return {}
  try {
    return JSON.parse(raw)
  } catch {
    throw badRequest("Request body is not valid JSON.")
  }
}

const errorAnswer = (e: ApiError): Answer => ({ status: e.status, body: e.body() })

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const FREE_PATHS = new Set(["/account/rate-limits"])

/** Handles one Heroku API request end to end. */
export const handleApi = async (deps: ApiDeps, req: IncomingMessage, res: ServerResponse, path: string) => {
  const started = performance.now()
  const requestId = randomUUID()
  const method = (req.method ?? "GET").toUpperCase()
  let fault: FaultKind | null = null
  const log = (status: number) =>
    deps.recorder.record({
      requestId,
      method,
      path,
      status,
      durationMs: Math.round(performance.now() - started),
      fault,
      at: new Date().toISOString(),
      rateLimitRemaining: deps.bucket.remaining(),
    })
  const decision = deps.faults.decide(method, path)
  if (decision.delayMs > 0) await sleep(decision.delayMs)
  if (decision.before?.kind === "drop") {
    fault = "drop"
    log(0)
    req.socket.destroy()
    return
  }
  let raw: string
  try {
    raw = (await readLimited(req, maxJsonBytes)).toString("utf8")
  } catch (e) {
    if (!(e instanceof ApiError)) throw e
    sendError(res, e)
    log(e.status)
    return
  }
  const answer = await answerFor(deps, req, method, path, raw, decision.before, (f) => {
    fault = f
  })
  if (decision.commitThenDrop && answer.status < 400) {
    fault = "commit_then_drop"
    log(0)
    req.socket.destroy()
    return
  }
  const text = answer.status === 204 ? "" : JSON.stringify(answer.body)
  const etag = etagOf(text)
  const headers: Record<string, string> = {
    "Request-Id": requestId,
    "RateLimit-Remaining": String(deps.bucket.remaining()),
    ETag: etag,
    ...answer.headers,
  }
  if (method === "GET" && answer.status < 300 && notModified(req.headers, etag)) {
    res.writeHead(304, headers).end()
    log(304)
    return
  }
  res.writeHead(answer.status, { ...headers, "Content-Type": "application/json; charset=utf-8" }).end(text)
  log(answer.status)
}

const answerFor = async (
  deps: ApiDeps,
  req: IncomingMessage,
  method: string,
  path: string,
  raw: string,
  before: { kind: FaultKind; status: number; retryAfterSeconds?: number } | null,
  markFault: (f: FaultKind) => void,
): Promise<Answer> => {
  if (!hasToken(req, deps.tokens)) return errorAnswer(unauthorized())
  if (!acceptsV3(req.headers)) {
    return errorAnswer(
      new ApiError(406, "not_acceptable", "Accept header must be application/vnd.heroku+json; version=3."),
    )
  }
  const retryAfter =
    before?.retryAfterSeconds === undefined
      ? {}
      : { headers: { "Retry-After": String(before.retryAfterSeconds) } }
  if (before?.kind === "rate_limit") {
    markFault("rate_limit")
    return {
      ...errorAnswer(
        new ApiError(
          429,
          "rate_limit",
          "Your account reached the API rate limit. Please wait a few minutes before making new requests.",
        ),
      ),
      ...retryAfter,
    }
  }
  if (!FREE_PATHS.has(path) && !deps.bucket.take()) {
    return errorAnswer(
      new ApiError(
        429,
        "rate_limit",
        "Your account reached the API rate limit. Please wait a few minutes before making new requests.",
      ),
    )
  }
  if (before?.kind === "error") {
    markFault("error")
    return {
      ...errorAnswer(
        new ApiError(
          before.status,
          serverErrorId(before.status),
          "Simulated server error (fault injection).",
        ),
      ),
      ...retryAfter,
    }
  }
  const { match } = findRoute(deps.routes, method, path)
  if (match === null)
    return errorAnswer(new ApiError(404, "not_found", "The requested API endpoint was not found."))
  try {
    const body = parseJson(raw)
    const reply = await match.route.handle({
      method: method as Method,
      path,
      params: match.params,
      query: new URL(req.url ?? "/", "http://sim").searchParams,
      headers: req.headers,
      body,
    })
    if (reply.kind === "json") return { status: reply.status, body: reply.body }
    const spec = parseRange(req.headers.range, reply.fields)
    const page = paginate(reply.items, spec, reply.fields)
    return { status: page.status, body: page.items, headers: page.headers }
  } catch (e) {
    if (e instanceof ApiError) return errorAnswer(e)
    deps.onError(e)
    return errorAnswer(new ApiError(500, "internal_server_error", "Internal server error."))
  } finally {
    if (method !== "GET") deps.save()
  }
}
