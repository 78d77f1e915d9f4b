/**
 * The engine's third public entry point, for a plugin's manifest side: its section's schema and its
 * load-time checks (spec.ts, validate.ts). It re-exports the manifest loader's pieces only, so
 * `validate` and `schema`, which load every plugin's section, load none of the engine's planner,
 * executor, renderers or command line (the engine/index.ts barrel reaches all of them, and its
 * module-level schema classes are built at import). Plugins' run-time code imports engine/index.ts.
 */
export { DurationString } from "./apply/duration.ts"
export {
  type CheckContext,
  type Checked,
  type CrossCheckProblem,
  confine,
  decodeStrict,
  EnvVarName,
  FromEnv,
  MANIFEST_MAX_BYTES,
  type ManifestFile,
  parseManifestText,
  pathKey,
  readBounded,
  StringOrSecret,
  section,
} from "./manifest/index.ts"
