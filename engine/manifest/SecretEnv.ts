/**
 * Where secret values come from. Manifests only ever name a variable (`{ fromEnv: NAME }`); the value is
 * looked up here at decode time, so tests can supply a record and the CLI supplies `process.env`.
 */
import * as Context from "effect/Context"
import * as Layer from "effect/Layer"

export class SecretEnv extends Context.Tag("reconcile/SecretEnv")<
  SecretEnv,
  { readonly get: (name: string) => string | undefined }
>() {}

/** Reads variables from the running process's environment. */
export const processSecretEnv: Context.Tag.Service<SecretEnv> = { get: (name) => process.env[name] }

/** `processSecretEnv` as a layer. */
export const secretEnvFromProcess: Layer.Layer<SecretEnv> = Layer.sync(SecretEnv, () => processSecretEnv)

/** A fixed set of variables, for tests and embedding. */
export const secretEnvFromRecord = (vars: Record<string, string | undefined>): Layer.Layer<SecretEnv> =>
  Layer.succeed(SecretEnv, { get: (name) => (Object.hasOwn(vars, name) ? vars[name] : undefined) })
