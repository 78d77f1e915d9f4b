/**
 * The GitHub workflows `init` writes into an app's repository. They use the composite Action that
 * ships inside the installed package (`./node_modules/<package>`), so the Action's version is the
 * one the lockfile pins. Secrets reach the CLI as environment variables of the Action's step.
 */

/** A `${{ ... }}` expression as it appears in a workflow. */
const expr = (inner: string) => `\${{ ${inner} }}`
const matrixEnv = expr("matrix.env")

const setup = [
  "      - uses: actions/checkout@v4",
  "      - uses: actions/setup-node@v4",
  "        with:",
  "          node-version: 20",
  "          cache: npm",
  "      - run: npm ci",
]

const secretEnv = (secrets: ReadonlyArray<string>) => [
  "        env:",
  ...["HEROKU_API_KEY", "GITHUB_TOKEN", ...secrets].map((s) => `          ${s}: ${expr(`secrets.${s}`)}`),
]

const step = (pkg: string, env: string, mode: string, reports: string, secrets: ReadonlyArray<string>) => [
  `      - uses: ./node_modules/${pkg}`,
  "        with:",
  `          environment: ${env}`,
  `          mode: ${mode}`,
  `          reports: ${reports}`,
  ...secretEnv(secrets),
]

const applyJob = (pkg: string, env: string, needs: string, secrets: ReadonlyArray<string>) => [
  `  ${env}:`,
  `    name: Apply ${env}`,
  `    needs: ${needs}`,
  "    runs-on: ubuntu-latest",
  "    timeout-minutes: 45",
  `    environment: ${env}`,
  "    concurrency:",
  `      group: reconcile-apply-${env}`,
  "      cancel-in-progress: false",
  "    permissions:",
  "      contents: read",
  "      deployments: write",
  "    steps:",
  ...setup,
  ...step(pkg, env, "apply", "github-deployment", secrets),
]

/** ci.yml, cd.yml and drift.yml for an app whose environments are staging and production. */
export const initWorkflows = (
  pkg: string,
  secrets: ReadonlyArray<string>,
  testCommand: string | undefined,
): ReadonlyArray<{ readonly path: string; readonly text: string }> => {
  const envs = ["staging", "production"]
  const ci = [
    "# Pull requests: a dry-run of every environment, posted as one comment edited in place.",
    "name: CI",
    "on:",
    "  pull_request:",
    "permissions:",
    "  contents: read",
    "jobs:",
    "  plan:",
    `    name: Plan (${matrixEnv})`,
    "    runs-on: ubuntu-latest",
    "    timeout-minutes: 15",
    "    permissions:",
    "      contents: read",
    "      pull-requests: write",
    "    strategy:",
    "      max-parallel: 1",
    "      matrix:",
    `        env: [${envs.join(", ")}]`,
    "    steps:",
    ...setup,
    ...step(pkg, matrixEnv, "plan", "github-pr-comment", secrets),
  ]
  const test = [`      - run: ${testCommand ?? "npm run build --if-present"}`]
  const cd = [
    "# Merges to main: test, then apply staging, then production (a reviewed GitHub environment).",
    "name: CD",
    "on:",
    "  push:",
    "    branches: [main]",
    "permissions:",
    "  contents: read",
    "jobs:",
    "  test:",
    "    name: Test",
    "    runs-on: ubuntu-latest",
    "    timeout-minutes: 20",
    "    steps:",
    ...setup,
    ...test,
    ...applyJob(pkg, "staging", "test", secrets),
    ...applyJob(pkg, "production", "staging", secrets),
  ]
  const drift = [
    "# Daily: one drift issue per environment, opened on drift and closed once back in sync.",
    "name: Drift",
    "on:",
    "  schedule:",
    '    - cron: "17 6 * * *"',
    "  workflow_dispatch:",
    "permissions:",
    "  contents: read",
    "jobs:",
    "  drift:",
    `    name: Drift (${matrixEnv})`,
    "    runs-on: ubuntu-latest",
    "    timeout-minutes: 20",
    "    permissions:",
    "      contents: read",
    "      issues: write",
    "    strategy:",
    "      fail-fast: false",
    "      matrix:",
    `        env: [${envs.join(", ")}]`,
    "    steps:",
    ...setup,
    ...step(pkg, matrixEnv, "drift", "github-drift-issue", secrets),
  ]
  return [
    { path: ".github/workflows/ci.yml", text: `${ci.join("\n")}\n` },
    { path: ".github/workflows/cd.yml", text: `${cd.join("\n")}\n` },
    { path: ".github/workflows/drift.yml", text: `${drift.join("\n")}\n` },
  ]
}
