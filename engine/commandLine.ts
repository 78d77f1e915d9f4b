/**
 * The engine's second public entry point, for command *definitions* (plugins' and the edge's extra
 * commands): the shared options and lazy loading. It loads none of the engine's machinery, so a
 * definition importing it stays on the fast path of `--help`; handlers import engine/index.ts.
 */
export { type Load, loaded, once } from "./cli/lazy.ts"
export {
  type ExtensionConfig,
  envOption,
  type LoadExtensionConfig,
  manifestsOption,
  outputOption,
} from "./cli/options.ts"
