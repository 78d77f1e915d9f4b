/**
 * The dashboard's HTTP routes (@effect/platform): `GET /` the page, `GET /overview.json` the same
 * data as JSON (secret-free: plans as the text renderer shows them), `POST /refresh` starts a
 * refresh. Read-only towards every environment. Every request must come with the token when one
 * is set (`?token=` once, then a same-site cookie); a loopback-bound dashboard also refuses Host
 * names other than loopback ones (DNS rebinding), and `/refresh` needs a custom header a
 * cross-site form cannot send.
 */
import { timingSafeEqual } from "node:crypto"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import type { Dashboard } from "./Dashboard.ts"
import { renderPage } from "./html.ts"

export interface Access {
  /** Required on every request when set. */
  readonly token: string | undefined
  /** Bound to a loopback address: only loopback Host names are answered. */
  readonly loopbackOnly: boolean
}

const cookieName = "reconcile_dashboard"

const headers = {
  "cache-control": "no-store",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "content-security-policy":
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'",
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

const loopbackHost = (host: string | undefined) =>
  host !== undefined && /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(host)

const refuse = (status: number, message: string) =>
  HttpServerResponse.text(`${message}\n`, { status, headers })

/** Runs `handler` only for a request that passes the access rules. */
const guarded = <E, R>(access: Access, handler: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>) =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (req) => {
    if (access.loopbackOnly && !loopbackHost(req.headers.host))
      return Effect.succeed(refuse(421, "this dashboard answers only on a loopback host name"))
    const token = access.token
    if (token === undefined) return handler
    const url = new URL(req.url, "http://dashboard")
    const given = url.searchParams.get("token")
    if (given !== null && same(given, token))
      // trade the token in the URL for a cookie, and drop it from the address bar
      return HttpServerResponse.setCookie(
        HttpServerResponse.redirect(url.pathname, { headers }),
        cookieName,
        token,
        {
          httpOnly: true,
          sameSite: "strict",
          path: "/",
        },
      ).pipe(Effect.orElseSucceed(() => refuse(500, "could not set the session cookie")))
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1]
    const cookie = req.cookies[cookieName]
    return (bearer !== undefined && same(bearer, token)) || (cookie !== undefined && same(cookie, token))
      ? handler
      : Effect.succeed(refuse(401, "this dashboard needs its token: open it with ?token=TOKEN"))
  })

/** The routes over a dashboard. */
export const routes = (dashboard: Dashboard, access: Access) =>
  HttpRouter.empty.pipe(
    HttpRouter.get(
      "/",
      guarded(
        access,
        Effect.map(dashboard.overview, (o) =>
          HttpServerResponse.html(renderPage(o, true)).pipe(HttpServerResponse.setHeaders(headers)),
        ),
      ),
    ),
    HttpRouter.get(
      "/overview.json",
      guarded(
        access,
        Effect.map(dashboard.overview, (o) => HttpServerResponse.unsafeJson(o, { headers })),
      ),
    ),
    HttpRouter.post(
      "/refresh",
      guarded(
        access,
        Effect.flatMap(HttpServerRequest.HttpServerRequest, (req) =>
          req.headers["x-reconcile-refresh"] !== "1"
            ? Effect.succeed(refuse(403, "a refresh needs the x-reconcile-refresh: 1 header"))
            : Effect.as(
                Effect.forkDaemon(dashboard.refresh),
                HttpServerResponse.unsafeJson({ refreshing: true }, { status: 202, headers }),
              ),
        ),
      ),
    ),
  )
