/**
 * The release plugin (wave `release`): builds the source tarball on Heroku and waits for the
 * release (and its release phase), or promotes the slug another pipeline stage runs. In a rollback
 * run (`RunContext.rollback`) it plans and applies the rollback instead (rollback.ts).
 */
import type { RunState } from "../../engine/index.ts"
import { definePlugin } from "../../engine/index.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { applyRelease, type ReleaseChange } from "./apply.ts"
import { diffRelease, releaseWarnings } from "./diff.ts"
import { observeRelease, type ReleaseLive } from "./observe.ts"
import { compensateRelease } from "./onFailure.ts"
import {
  applyRollback,
  diffRollback,
  observeRollback,
  type RollbackChange,
  type RollbackLive,
} from "./rollback.ts"
import { type ReleaseSpec, releaseSection } from "./spec.ts"

type Live = ReleaseLive | RollbackLive
const isRollback = (live: Live): live is RollbackLive => "kind" in live && live.kind === "rollback"

export const releasePlugin = definePlugin<
  ReleaseSpec,
  Live,
  ReleaseChange | RollbackChange,
  HerokuApi | RunState
>({
  name: "release",
  section: releaseSection,
  wave: "release",
  inRollback: "always",
  observe: (spec, ctx) => (ctx.rollback === undefined ? observeRelease(spec, ctx) : observeRollback(ctx)),
  diff: (spec, live) => (isRollback(live) ? diffRollback(live) : diffRelease(spec, live)),
  warnings: (spec, live, ctx) => (isRollback(live) ? [] : releaseWarnings(spec, live, ctx)),
  compensate: compensateRelease,
  apply: (change, ctx) => (change.kind === "rollback" ? applyRollback(change) : applyRelease(change, ctx)),
})
