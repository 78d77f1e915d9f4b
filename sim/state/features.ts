/**
 * The app features the simulator knows (`/apps/{app}/features`): `general` ones are listed by
 * `heroku features`, `beta` ones by `heroku labs`. Each app starts with every feature at its default.
 */
export interface FeatureDef {
  readonly name: string
  readonly displayName: string
  readonly description: string
  readonly state: "general" | "beta"
  readonly enabledByDefault: boolean
}

export const features: readonly FeatureDef[] = [
  {
    name: "preboot",
    displayName: "Preboot",
    description: "Start new dynos and let them take traffic before the old ones are stopped.",
    state: "general",
    enabledByDefault: false,
  },
  {
    name: "http-session-affinity",
    displayName: "Session affinity",
    description: "Route each client's requests to the same web dyno.",
    state: "general",
    enabledByDefault: false,
  },
  {
    name: "runtime-dyno-metadata",
    displayName: "Dyno metadata",
    description: "Give dynos the app, release and slug they run as HEROKU_* environment variables.",
    state: "beta",
    enabledByDefault: false,
  },
  {
    name: "runtime-dyno-build-metadata",
    displayName: "Build metadata",
    description: "Give builds the app and commit they build as environment variables.",
    state: "beta",
    enabledByDefault: false,
  },
  {
    name: "log-runtime-metrics",
    displayName: "Runtime metrics in the log",
    description: "Print each dyno's memory and load to the app's log.",
    state: "beta",
    enabledByDefault: false,
  },
  {
    name: "nodejs-language-metrics",
    displayName: "Node.js metrics",
    description: "Collect Node.js event-loop and heap metrics for the metrics view.",
    state: "beta",
    enabledByDefault: false,
  },
]

/** Whether `name` is on for an app with these feature switches. */
export const featureEnabled = (switches: Readonly<Record<string, boolean>>, name: string): boolean =>
  switches[name] ?? features.find((f) => f.name === name)?.enabledByDefault ?? false
