/**
 * Shared pieces of the Heroku end-to-end tests: the four plugins, a sample deploy through the
 * simulator's build API (so the app has `web` and `worker` process types), and every rendering of a
 * plan or summary, to search for secrets.
 */
import * as Schema from "effect/Schema"
import { expect } from "vitest"
import { Summary } from "../../engine/apply/Summary.ts"
import { Plan } from "../../engine/plan/Plan.ts"
import { renderPlan, renderSummary } from "../../engine/render/index.ts"
import { plainStyle } from "../../engine/render/style.ts"
import { addonsPlugin } from "../../plugins/addons/plugin.ts"
import { appPlugin } from "../../plugins/app/plugin.ts"
import { configPlugin } from "../../plugins/config/plugin.ts"
import { formationPlugin } from "../../plugins/formation/plugin.ts"
import type { Simulator } from "../../sim/index.ts"
import { simToken } from "../support/heroku.ts"
import { herokuClient, sampleApp, tarball, waitFor } from "../support/simClient.ts"

export const herokuPlugins = [appPlugin, addonsPlugin, configPlugin, formationPlugin]

/** Builds and releases the sample app (Procfile: web, worker) on an existing app. */
export const deploySample = async (sim: Simulator, app: string): Promise<void> => {
  const api = herokuClient(sim.url, simToken)
  const source = await api.call("POST", "/sources")
  const blob = (source.body as { source_blob: { put_url: string; get_url: string } }).source_blob
  await fetch(blob.put_url, { method: "PUT", body: await tarball(sampleApp) })
  const build = await api.call("POST", `/apps/${app}/builds`, {
    body: { source_blob: { url: blob.get_url } },
  })
  expect(build.status).toBe(201)
  const id = (build.body as { id: string }).id
  const done = await waitFor(async () => {
    const b = (await api.call("GET", `/apps/${app}/builds/${id}`)).body as { status: string }
    return b.status === "pending" ? undefined : b
  }, 120_000) // twenty scenarios build at once: on a busy 2-core machine that takes more than 10 s
  expect(done.status).toBe("succeeded")
}

/** Every form a plan or summary is shown or stored in. */
export const renderings = (plan: Plan, summary?: Summary): ReadonlyArray<string> => [
  JSON.stringify(Schema.encodeSync(Plan)(plan)),
  renderPlan(plan, "text", plainStyle),
  renderPlan(plan, "markdown", plainStyle),
  renderPlan(plan, "json", plainStyle),
  ...(summary === undefined
    ? []
    : [
        JSON.stringify(Schema.encodeSync(Summary)(summary)),
        renderSummary(summary, "text", plainStyle),
        renderSummary(summary, "markdown", plainStyle),
        ...summary.results.map((r) => r.message ?? ""),
        summary.error ?? "",
      ]),
]
