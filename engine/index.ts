/**
 * The engine's public entry point: everything plugins, services and reporters may use. They import
 * the engine only from here (test/architecture.test.ts checks it); the engine never imports them.
 */
export { DurationString } from "./apply/duration.ts"
export { defaultPolicy, type PolicySpec, policyFrom } from "./apply/policy.ts"
export { ExitCode, setExitCode } from "./cli/exitCodes.ts"
export { type Load, loaded, once } from "./cli/lazy.ts"
export { type ExtensionConfig, envOption, type LoadExtensionConfig, manifestsOption } from "./cli/options.ts"
export { reportErrors } from "./cli/report.ts"
export { runOnEnv } from "./cli/runOnEnv.ts"
export { openEnvironment } from "./cli/session.ts"
export * from "./errors.ts"
export * from "./manifest/index.ts"
export type { Action } from "./plan/Action.ts"
export type { Problem as PlanProblem } from "./plan/Problem.ts"
export { memberAddresses, type Step } from "./plan/Step.ts"
export * from "./plugin/Plugin.ts"
export * from "./plugin/Reporter.ts"
export * from "./plugin/RunState.ts"
export { openPrivate } from "./privateFile.ts"
export { renderPlanMarkdown, renderSummaryMarkdown } from "./render/index.ts"
export * from "./secrets.ts"
