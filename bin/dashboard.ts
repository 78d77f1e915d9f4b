/**
 * `reconcile dashboard` and `reconcile report --all --html FILE` (issue 17), composed at the edge:
 * every dry-run of the dashboard goes through one budgeted HTTP client (the shared Heroku rate
 * budget), and a local environment's simulator is started once and kept while the dashboard runs.
 * What the commands do, once parsed; dashboardCommands.ts defines them.
 */
import { writeFileSync } from "node:fs"
import { createServer } from "node:http"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpServer from "@effect/platform/HttpServer"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Ref from "effect/Ref"
import * as Scope from "effect/Scope"
import { budgetedClient, makeBudget } from "../dashboard/budget.ts"
import { makeDashboard } from "../dashboard/Dashboard.ts"
import { renderPage } from "../dashboard/html.ts"
import { routes } from "../dashboard/server.ts"
import { reportErrors } from "../engine/cli/report.ts"
import { UsageError } from "../engine/errors.ts"
import { fingerprintKeyFromEnv } from "../engine/plan/fingerprint.ts"
import type { AnyPlugin, RunContext } from "../engine/plugin/Plugin.ts"
import type { PluginServices } from "../plugins/index.ts"
import type { LocalEndpoint } from "./local.ts"
import { servicesFor, startLocal } from "./services.ts"
import type { SimulatorSpec } from "./simulator.ts"

/** Starts each local simulator once, in `scope` (the dashboard's lifetime); a failed start is retried next time. */
const keptLocals = (scope: Scope.Scope) => {
  const started = new Map<string, LocalEndpoint>()
  return (spec: SimulatorSpec) =>
    Effect.suspend(() => {
      const dir = spec.stateDir ?? ".reconcile/local"
      const known = started.get(dir)
      if (known !== undefined) return Effect.succeed(known)
      return startLocal(spec).pipe(
        Scope.extend(scope),
        Effect.tap((e) => Effect.sync(() => started.set(dir, e))),
      )
    })
}

/** A dashboard over `dir`'s environments, its checks spending the one budget. */
const dashboardFor = (
  plugins: ReadonlyArray<AnyPlugin<PluginServices>>,
  dir: string,
  flags: { readonly budget: number; readonly interval: number },
) =>
  Effect.gen(function* () {
    if (flags.budget < 1) return yield* new UsageError({ detail: "--budget must be at least 1" })
    const budget = yield* makeBudget(flags.budget)
    const client = yield* Effect.provide(HttpClient.HttpClient, NodeHttpClient.layer)
    const local = keptLocals(yield* Effect.scope)
    const services = (ctx: RunContext, requests: Ref.Ref<number>) =>
      servicesFor(ctx, {
        http: Layer.succeed(HttpClient.HttpClient, budgetedClient(budget, client, requests)),
        local,
      })
    return yield* makeDashboard<PluginServices>({
      check: { plugins, services, fingerprintKey: fingerprintKeyFromEnv(process.env) },
      dir,
      budget,
      intervalSeconds: flags.interval,
    })
  })

const loopback = (host: string) => host === "127.0.0.1" || host === "::1" || host === "localhost"

/** `reconcile dashboard`, once parsed (dashboardCommands.ts defines it). */
export const dashboardHandler = (
  plugins: ReadonlyArray<AnyPlugin<PluginServices>>,
  flags: {
    readonly manifests: string
    readonly port: number
    readonly host: string
    readonly token: Option.Option<string>
    readonly interval: number
    readonly budget: number
  },
) =>
  reportErrors(
    Effect.scoped(
      Effect.gen(function* () {
        const token = Option.getOrUndefined(flags.token)
        if (!loopback(flags.host) && token === undefined)
          return yield* new UsageError({
            detail: `--host ${flags.host} is reachable from other machines: give --token TOKEN as well`,
          })
        if (token !== undefined && token.length < 16)
          return yield* new UsageError({ detail: "--token must be at least 16 characters" })
        const dashboard = yield* dashboardFor(plugins, flags.manifests, flags)
        const app = routes(dashboard, { token, loopbackOnly: loopback(flags.host) }).pipe(HttpServer.serve())
        const announce = Layer.scopedDiscard(
          Effect.gen(function* () {
            const address = (yield* HttpServer.HttpServer).address
            const url =
              address._tag === "TcpAddress"
                ? `http://${address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname}:${address.port}/`
                : address.path
            yield* Console.log(`reconcile dashboard at ${url} (read-only; Ctrl-C to stop)`)
            yield* Effect.forkScoped(dashboard.loop)
          }),
        )
        const listening = NodeHttpServer.layer(() => createServer(), {
          port: flags.port,
          host: flags.host,
        })
        return yield* Layer.launch(Layer.merge(app, announce).pipe(Layer.provide(listening))).pipe(
          Effect.catchTag("ServeError", (e) =>
            Effect.fail(
              new UsageError({
                detail: `cannot serve the dashboard on ${flags.host}:${flags.port}: ${(e.cause as Error | undefined)?.message ?? "unknown error"}`,
              }),
            ),
          ),
        )
      }),
    ),
  )

/** `reconcile report --all --html FILE`: the dashboard's overview, checked once, as one HTML file. */
export const reportHandler = (
  plugins: ReadonlyArray<AnyPlugin<PluginServices>>,
  flags: {
    readonly manifests: string
    readonly all: boolean
    readonly html: string
    readonly budget: number
  },
) =>
  reportErrors(
    Effect.scoped(
      Effect.gen(function* () {
        if (!flags.all)
          return yield* new UsageError({
            detail: "report needs --all (every environment is the only report so far)",
          })
        const dashboard = yield* dashboardFor(plugins, flags.manifests, {
          budget: flags.budget,
          interval: 0,
        })
        yield* dashboard.refresh
        const overview = yield* dashboard.overview
        yield* Effect.try({
          try: () => writeFileSync(flags.html, renderPage(overview, false)),
          catch: (e) => new UsageError({ detail: `cannot write ${flags.html}: ${(e as Error).message}` }),
        })
        const count = (s: string) => overview.envs.filter((v) => v.status === s).length
        yield* Console.log(
          `wrote ${flags.html}: ${overview.envs.length} environment(s), ${count("in-sync")} in sync, ${count("drifted")} drifted, ${count("error")} with errors`,
        )
      }),
    ),
  )
