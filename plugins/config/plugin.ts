/**
 * The config plugin (wave `config`): sets declared vars, prunes undeclared ones when asked
 * (destructive; never add-on vars), all in one PATCH, hence one release, per run. Missing
 * `required` keys and declared add-on vars are plan problems (see diff.ts). Observation: the config vars
 * and the add-ons' var names (which vars an add-on owns). Vars on the app that the manifest
 * does not manage are reported by key on every plan (deleted instead with `prune: true`).
 */
import { definePlugin } from "../../engine/index.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { applyConfig } from "./apply.ts"
import { type ConfigChange, type ConfigLive, configWarnings, diffConfig } from "./diff.ts"
import { observeConfig } from "./observe.ts"
import { type ConfigSpec, configSection } from "./spec.ts"
import { configChecks } from "./validate.ts"

/** Config vars, one release per run; add-on vars are never written. */
export const configPlugin = definePlugin<ConfigSpec, ConfigLive, ConfigChange, HerokuApi>({
  name: "config",
  section: configSection,
  wave: "config",
  observe: (desired, ctx) => observeConfig(desired, ctx),
  diff: (desired, live, _ctx, view) => diffConfig(desired, live, view),
  apply: (change) => applyConfig(change),
  warnings: (desired, live) => configWarnings(desired, live),
  validate: configChecks,
})
