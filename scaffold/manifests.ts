/**
 * The manifest files `init` and `import` write: YAML documents with the yaml-language-server schema
 * header (so editors complete and check them against the installed package's schema).
 */
import { stringify } from "yaml"
import type { Inference, Spec } from "./infer.ts"

/** Where the schema lives, relative to manifests/: inside the installed package. */
export const schemaHeader = (packageName: string) =>
  `# yaml-language-server: $schema=../node_modules/${packageName}/manifests/manifest.schema.json`

export interface ManifestFile {
  readonly name: string
  readonly comment: string
  readonly extends?: string
  readonly spec: Spec
}

/** One manifest's text. */
export const renderManifest = (packageName: string, file: ManifestFile): string => {
  const doc = {
    apiVersion: "reconcile/v1",
    kind: "Release",
    metadata: { name: file.name, ...(file.extends === undefined ? {} : { extends: file.extends }) },
    spec: file.spec,
  }
  const comment = file.comment
    .split("\n")
    .map((line) => `# ${line}`)
    .join("\n")
  return `${schemaHeader(packageName)}\n${comment}\n${stringify(doc, { lineWidth: 0, flowCollectionPadding: true })}`
}

/** base, local, staging and production, from an inference. */
export const initManifests = (inference: Inference): ReadonlyArray<ManifestFile> => {
  const { stem } = inference
  const localConfig =
    Object.keys(inference.localVars).length > 0 ? { config: { vars: { ...inference.localVars } } } : {}
  return [
    {
      name: "base",
      comment:
        "What every environment shares; each environment's file extends it (maps merge, lists replace).\nWritten by `reconcile init`: review it, then commit it.",
      spec: inference.base,
    },
    {
      name: "local",
      comment:
        "`reconcile --env local` runs the app on the bundled Heroku simulator with a real PostgreSQL\n(state under .reconcile/local). Placeholders here are not secrets.",
      extends: "base.yaml",
      spec: {
        simulator: { stateDir: ".reconcile/local" },
        app: { name: `${stem}-local` },
        ...localConfig,
        ...(inference.localDatabaseUrl === undefined
          ? {}
          : { database: { url: inference.localDatabaseUrl } }),
      },
    },
    {
      name: "staging",
      comment: "Applied by CD on every merge to main.",
      extends: "base.yaml",
      spec: { app: { name: `${stem}-staging` } },
    },
    {
      name: "production",
      comment: "Applied by CD after staging, behind the `production` GitHub environment.",
      extends: "base.yaml",
      spec: { app: { name: `${stem}-production` } },
    },
  ]
}
