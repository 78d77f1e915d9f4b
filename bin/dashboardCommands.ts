/**
 * The `dashboard` and `report` definitions (issue 17); what they do is in dashboard.ts, loaded when
 * one runs, with the plugins.
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { type Load, loaded, manifestsOption } from "../engine/commandLine.ts"
import type { AnyPlugin } from "../engine/plugin/Plugin.ts"
import type { PluginServices } from "../plugins/index.ts"

const budgetOption = Options.integer("budget").pipe(
  Options.withPseudoName("N"),
  Options.withDefault(1000),
  Options.withDescription(
    "Heroku requests an hour all environments share (Heroku allows 4,500 per account; default 1000)",
  ),
)

type Plugins = Load<ReadonlyArray<AnyPlugin<PluginServices>>>

const handlers = () => import("./dashboard.ts")

export const dashboardCommand = (plugins: Plugins) =>
  Command.make(
    "dashboard",
    {
      manifests: manifestsOption,
      port: Options.integer("port").pipe(
        Options.withPseudoName("N"),
        Options.withDefault(4646),
        Options.withDescription("port (0: any free one)"),
      ),
      host: Options.text("host").pipe(
        Options.withPseudoName("ADDR"),
        Options.withDefault("127.0.0.1"),
        Options.withDescription("address to bind; anything but loopback requires --token"),
      ),
      token: Options.text("token").pipe(
        Options.withPseudoName("TOKEN"),
        Options.optional,
        Options.withDescription("required on every request (open the page once with ?token=TOKEN)"),
      ),
      interval: Options.integer("interval").pipe(
        Options.withPseudoName("S"),
        Options.withDefault(300),
        Options.withDescription(
          "seconds between automatic refreshes, stretched to fit --budget (0: on demand only)",
        ),
      ),
      budget: budgetOption,
    },
    (flags) =>
      loaded(
        () => Promise.all([handlers(), plugins()]),
        ([h, p]) => h.dashboardHandler(p, flags),
      ),
  ).pipe(
    Command.withDescription(
      "Serve a read-only page of every environment: sync status, last apply, current release, plan and history (dry-runs only, no lock).",
    ),
  )

/** `reconcile report --all --html FILE`: the dashboard's overview, checked once, as one HTML file. */
export const reportCommand = (plugins: Plugins) =>
  Command.make(
    "report",
    {
      manifests: manifestsOption,
      all: Options.boolean("all").pipe(Options.withDescription("every environment (the dashboard's rows)")),
      html: Options.text("html").pipe(
        Options.withPseudoName("FILE"),
        Options.withDescription("write the report to FILE (self-contained HTML)"),
      ),
      budget: budgetOption,
    },
    (flags) =>
      loaded(
        () => Promise.all([handlers(), plugins()]),
        ([h, p]) => h.reportHandler(p, flags),
      ),
  ).pipe(
    Command.withDescription(
      "Write the dashboard's overview of every environment (dry-runs only, no lock) as one self-contained HTML file, e.g. a CI artifact.",
    ),
  )
