/** The local plan says plainly when a heroku-redis add-on's REDIS_URL is not backed. */
import * as Effect from "effect/Effect"
import { afterEach, expect, test } from "vitest"
import { simulatorPlugin } from "./simulator.ts"

const path = process.env.PATH
afterEach(() => {
  process.env.PATH = path
})

const warningsWith = (PATH: string) => {
  process.env.PATH = PATH
  const ctx = {
    env: "local",
    manifestDir: ".",
    dryRun: true,
    spec: {
      addons: [
        { plan: "heroku-redis:mini", as: "CACHE" },
        { plan: "heroku-postgresql:essential-0", as: "DATABASE" },
      ],
    },
  }
  const live = Effect.runSync(simulatorPlugin.observe({}, ctx))
  return simulatorPlugin.warnings?.({}, live, ctx) ?? []
}

test("no redis-server on PATH: the plan notes that the add-on's URL is not backed", () => {
  expect(warningsWith("/nonexistent")).toEqual([
    "CACHE_URL is not backed locally: no redis-server is installed, so nothing answers at it (install redis-server to back it)",
  ])
})

test("no note for a manifest without heroku-redis", () => {
  process.env.PATH = "/nonexistent"
  const ctx = { env: "local", manifestDir: ".", dryRun: true, spec: {} }
  const live = Effect.runSync(simulatorPlugin.observe({}, ctx))
  expect(simulatorPlugin.warnings?.({}, live, ctx)).toEqual([])
})
