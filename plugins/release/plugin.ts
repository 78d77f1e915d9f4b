/**
 * The release plugin (wave `release`): builds the source tarball on Heroku and waits for the
 * release (and its release phase), or promotes the slug another pipeline stage runs.
 */

import type { RunState } from "../../engine/index.ts"
import { definePlugin } from "../../engine/index.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { applyRelease, type ReleaseChange } from "./apply.ts"
import { diffRelease, releaseWarnings } from "./diff.ts"
import { observeRelease, type ReleaseLive } from "./observe.ts"
import { type ReleaseSpec, releaseSection } from "./spec.ts"

export const releasePlugin = definePlugin<ReleaseSpec, ReleaseLive, ReleaseChange, HerokuApi | RunState>({
  name: "release",
  section: releaseSection,
  wave: "release",
  observe: observeRelease,
  diff: (spec, live) => diffRelease(spec, live),
  warnings: releaseWarnings,
  apply: applyRelease,
})
