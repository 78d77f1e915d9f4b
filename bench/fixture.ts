/**
 * The production-sized fixture, generated at run time under a temp dir (never committed): a source
 * tree with a built frontend and a 3-process Procfile, two 10,000-row reference tables (t01, t02,
 * created by the 40 fixture migrations), and manifests: 4 add-ons, 60 config vars, 3 process types,
 * 40 migrations, reference data and a frontend.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"

export const migrationsDir = resolve("test/fixtures/database/migrations-40")
export const ROWS = 10_000
export const VARS = 60

export interface Fixture {
  readonly root: string
  readonly manifests: string
  readonly source: string
  readonly referenceData: string
  /** Writes `<manifests>/<env>.yaml` for app `app`; `vars` overrides values of the 60 config vars. */
  readonly write: (env: string, app: string, options?: ManifestOptions) => void
  readonly remove: () => void
}

export interface ManifestOptions {
  readonly vars?: Readonly<Record<string, string>>
  /** Without the database section (no migrations, reference data or backup). */
  readonly noDatabase?: boolean
}

/** The 60 config vars' names and default values. */
export const configVars = (): Record<string, string> =>
  Object.fromEntries(
    Array.from({ length: VARS }, (_, i) => [`VAR_${String(i + 1).padStart(2, "0")}`, `value-${i + 1}`]),
  )

export const processTypes = ["web", "worker", "clock"] as const

const csv = (table: string) =>
  `id,name\n${Array.from({ length: ROWS }, (_, i) => `${i + 1},${table} row ${i + 1}`).join("\n")}\n`

const manifest = (env: string, app: string, f: Omit<Fixture, "write" | "remove">, o: ManifestOptions) => {
  const vars = { ...configVars(), ...o.vars }
  const lines = [
    "apiVersion: reconcile/v1",
    "kind: Release",
    `metadata: { name: ${env} }`,
    "spec:",
    "  policy: { retries: 5, stepTimeout: 2m, pendingTimeout: 5m, concurrency: 4 }",
    `  app: { name: ${app}, region: us, stack: heroku-24, buildpacks: [heroku/nodejs] }`,
    "  addons:",
    '    - { plan: "heroku-postgresql:essential-0", as: DATABASE }',
    '    - { plan: "heroku-redis:mini", as: REDIS }',
    '    - { plan: "papertrail:choklad", as: PAPERTRAIL }',
    '    - { plan: "scheduler:standard", as: SCHEDULER }',
    "  config:",
    "    required: [DATABASE_URL, REDIS_URL]",
    "    vars:",
    ...Object.entries(vars).map(([k, v]) => `      ${k}: ${JSON.stringify(v)}`),
    "  formation:",
    ...processTypes.map((t) => `    ${t}: { quantity: 1, size: basic }`),
    ...(o.noDatabase === true
      ? []
      : [
          "  database:",
          "    url: { fromConfigVar: DATABASE_URL }",
          "    backup: { provider: heroku }",
          `    migrations: { dir: ${JSON.stringify(migrationsDir)}, target: latest }`,
          `    referenceData: { dir: ${JSON.stringify(f.referenceData)}, version: "bench-1" }`,
        ]),
    "  release:",
    `    source: { dir: ${JSON.stringify(f.source)}, include: [Procfile, package.json, server.js, web] }`,
    "    frontend: { dir: web/dist, digest: auto }",
  ]
  return `${lines.join("\n")}\n`
}

/** Generates the fixture in a fresh temp dir. */
export const makeFixture = (): Fixture => {
  const root = mkdtempSync(join(tmpdir(), "reconcile-bench-fixture-"))
  const paths = {
    root,
    manifests: join(root, "manifests"),
    source: join(root, "source"),
    referenceData: join(root, "reference-data"),
  }
  mkdirSync(paths.manifests)
  mkdirSync(join(paths.source, "web", "dist"), { recursive: true })
  mkdirSync(paths.referenceData)
  writeFileSync(
    join(paths.source, "Procfile"),
    processTypes.map((t) => `${t}: node server.js ${t}`).join("\n"),
  )
  writeFileSync(join(paths.source, "package.json"), '{ "name": "bench-app", "private": true }\n')
  writeFileSync(join(paths.source, "server.js"), "console.log(process.argv[2])\n")
  writeFileSync(join(paths.source, "web", "dist", "index.html"), "<!doctype html><title>bench</title>\n")
  writeFileSync(
    join(paths.referenceData, "dataset.yaml"),
    "tables:\n  - { table: t01, file: t01.csv, primaryKey: [id] }\n  - { table: t02, file: t02.csv, primaryKey: [id] }\n",
  )
  writeFileSync(join(paths.referenceData, "t01.csv"), csv("t01"))
  writeFileSync(join(paths.referenceData, "t02.csv"), csv("t02"))
  return {
    ...paths,
    write: (env, app, options = {}) =>
      writeFileSync(join(paths.manifests, `${env}.yaml`), manifest(env, app, paths, options)),
    remove: () => rmSync(root, { recursive: true, force: true }),
  }
}
