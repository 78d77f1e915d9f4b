/** The manifest loader: YAML release manifests → decoded, positioned-error-reporting, plugin-composed spec. */
export { deployableEnvironments, listEnvironments } from "./environments.ts"
export { manifestJsonSchema } from "./jsonSchema.ts"
export {
  type CheckContext,
  type CrossCheckProblem,
  type LoadedManifest,
  type LoadOptions,
  loadManifest,
  loadRawSpec,
  manifestLoader,
} from "./load.ts"
export { fileError, formatProblem, ManifestError, type Problem, ProblemSchema } from "./Problem.ts"
export { EnvVarName, FromEnv, StringOrSecret, type StringOrSecretEncoded } from "./Secret.ts"
export { SecretEnv, secretEnvFromProcess, secretEnvFromRecord } from "./SecretEnv.ts"
export { type ManifestSection, section } from "./Section.ts"
export {
  allowedRoots,
  type Checked,
  confine,
  decodeStrict,
  isInside,
  MANIFEST_MAX_BYTES,
  readBounded,
  repositoryRoot,
} from "./safeFile.ts"
export { API_VERSION, KIND, manifestSchema } from "./schema.ts"
export { closest, suggest } from "./suggest.ts"
export { type ManifestFile, parseManifestText, pathKey } from "./yamlFile.ts"
