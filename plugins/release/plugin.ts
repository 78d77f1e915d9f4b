/**
 * The release plugin (wave `release`): builds the source tarball on Heroku and waits for the
 * release (and its release phase), or promotes the slug another pipeline stage runs.
 */

import type { RunState } from "../../engine/index.ts"
import { definePlugin } from "../../engine/index.ts"
import { buildsInCopy } from "../../services/artifact/artifact.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { deploy, promote, type ReleaseChange } from "./deploy.ts"
import { diffRelease } from "./diff.ts"
import { observeRelease, type ReleaseLive } from "./observe.ts"
import { type ReleaseSpec, releaseSection } from "./spec.ts"

export const releasePlugin = definePlugin<ReleaseSpec, ReleaseLive, ReleaseChange, HerokuApi | RunState>({
  name: "release",
  section: releaseSection,
  wave: "release",
  observe: observeRelease,
  diff: (spec, live) => diffRelease(spec, live),
  warnings: (spec, live, ctx) =>
    live.local !== null && buildsInCopy(spec, ctx)
      ? [
          `dry-run: the frontend build (${spec.frontend?.build}) ran in a temporary copy of the source to compute its digest; nothing in the tree was written`,
        ]
      : [],
  apply: (change, ctx) => (change.kind === "deploy" ? deploy(change, ctx) : promote(change)),
})
