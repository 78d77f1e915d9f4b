/** Every command refuses a flag it does not take, and a command's flags may come before its name. */
import { describe, expect, it } from "vitest"
import { engineFlags, type FlagTable, missingEnv, placeFlags } from "./flags.ts"

const table: FlagTable = {
  ...engineFlags,
  sim: ["env", "manifests", "port"],
  migrations: [],
  "migrations resolve": ["env", "manifests", "applied"],
}

describe("placeFlags", () => {
  it("refuses a flag of another command on every command, before or after its name", () => {
    for (const [args, message] of [
      [["validate", "--dry-run"], "--dry-run does not apply to reconcile validate"],
      [["--dry-run", "validate"], "--dry-run does not apply to reconcile validate"],
      [["schema", "--env", "x"], "--env does not apply to reconcile schema (it takes no options)"],
      [["envs", "--allow-destroy"], "--allow-destroy does not apply to reconcile envs"],
      [["apply", "plan.json", "--env", "x"], "--env does not apply to reconcile apply"],
      [["sim", "--to", "v3"], "--to does not apply to reconcile sim"],
      [
        ["migrations", "resolve", "--dry-run", "--applied", "a"],
        "--dry-run does not apply to reconcile migrations resolve",
      ],
      [["rollback", "--env", "s", "--allow-destroy"], "--allow-destroy does not apply to reconcile rollback"],
      [["--env", "s", "--to", "v3"], "--to does not apply to reconcile ("],
      [["-o", "json", "validate"], "--output does not apply to reconcile validate"],
    ] as const)
      expect(placeFlags(args, table)).toEqual({ error: expect.stringContaining(message) })
  })

  it("names an unknown flag with a suggestion from the command's own flags", () => {
    expect(placeFlags(["--env", "s", "--dry-rn"], table)).toEqual({
      error: "unknown option --dry-rn (did you mean --dry-run?); see reconcile --help",
    })
    expect(placeFlags(["sim", "--prot", "3"], table)).toEqual({
      error: "unknown option --prot (did you mean --port?); see reconcile sim --help",
    })
  })

  it("names an unknown subcommand of a command group, not the flags it was given", () => {
    expect(placeFlags(["migrations", "reslove", "--env", "s"], table)).toEqual({
      error:
        "unknown command reconcile migrations reslove (did you mean resolve?); see reconcile migrations --help",
    })
    expect(placeFlags(["migrations", "nope"], table)).toEqual({
      error: "unknown command reconcile migrations nope (it has resolve); see reconcile migrations --help",
    })
  })

  it("names an unknown top-level command in one line, with the closest command", () => {
    const see = "(reconcile --help lists the commands)"
    for (const [args, message] of [
      [["valdate", "--env", "local"], `unknown command "valdate": did you mean "validate"? ${see}`],
      [["--env", "local", "valdate"], `unknown command "valdate": did you mean "validate"? ${see}`],
      [["--manifests", "m", "rollbak"], `unknown command "rollbak": did you mean "rollback"? ${see}`],
      [["migraton"], `unknown command "migraton": did you mean "migrations"? ${see}`],
      [["zzz", "--env", "s"], `unknown command "zzz" ${see}`],
      [
        ["plan", "--env", "s", "--dryrun"],
        `unknown command "plan": did you mean reconcile --env NAME --dry-run? ${see}`,
      ],
      [["help"], `unknown command "help": did you mean reconcile --help? ${see}`],
      [["constructor"], `unknown command "constructor" ${see}`],
    ] as const)
      expect(placeFlags(args, table), args.join(" ")).toEqual({ error: message })
    // a flag's value is not a command
    expect(placeFlags(["--env", "valdate", "--dry-run"], table)).toEqual({
      args: ["--env", "valdate", "--dry-run"],
    })
  })

  it("names a value --output does not take, with the ones it does", () => {
    expect(placeFlags(["--env", "s", "--output", "yaml"], table)).toEqual({
      error: "--output yaml: expected text, json, markdown",
    })
    expect(placeFlags(["--output=jsn", "--env", "s"], table)).toEqual({
      error: "--output jsn: expected text, json, markdown (did you mean json?)",
    })
    expect(placeFlags(["--env", "s", "-o", "markdown"], table)).toEqual({
      args: ["--env", "s", "-o", "markdown"],
    })
  })

  it("a command's own words for a flag replace the engine's (history has no markdown output)", () => {
    const history = { ...table, history: ["env", "output"] }
    const own = { history: { output: ["text", "json"] } }
    expect(placeFlags(["history", "--env", "s", "--output", "markdown"], history, own)).toEqual({
      error: "--output markdown: expected text, json for reconcile history",
    })
    expect(placeFlags(["history", "--env", "s", "-o", "jsn"], history, own)).toEqual({
      error: "--output jsn: expected text, json for reconcile history (did you mean json?)",
    })
    expect(placeFlags(["history", "--env", "s", "-o", "json"], history, own)).toEqual({
      args: ["history", "--env", "s", "-o", "json"],
    })
    // the engine's commands keep theirs
    expect(placeFlags(["--env", "s", "-o", "markdown"], history, own)).toEqual({
      args: ["--env", "s", "-o", "markdown"],
    })
  })

  it("moves a command's flags after its name, values included", () => {
    expect(placeFlags(["--dry-run", "rollback", "--env", "s"], table)).toEqual({
      args: ["rollback", "--dry-run", "--env", "s"],
    })
    expect(placeFlags(["--env=s", "migrations", "resolve", "--applied", "m"], table)).toEqual({
      args: ["migrations", "resolve", "--env=s", "--applied", "m"],
    })
    expect(placeFlags(["--env", "s", "--dry-run", "-o", "json"], table)).toEqual({
      args: ["--env", "s", "--dry-run", "-o", "json"],
    })
    expect(placeFlags(["apply", "plan.json", "--allow-destroy"], table)).toEqual({
      args: ["apply", "plan.json", "--allow-destroy"],
    })
  })
})

describe("missingEnv", () => {
  const needing = { "": "existing", rollback: "existing", "migrations resolve": "existing" } as const
  it("names the command that needs --env and its manifests folder, unless --env or --help is given", () => {
    expect(missingEnv(["rollback", "--to", "v3"], table, needing)).toEqual({
      command: "rollback",
      need: "existing",
      manifests: "manifests",
    })
    expect(missingEnv(["migrations", "resolve", "--manifests=m", "--applied", "a"], table, needing)).toEqual({
      command: "migrations resolve",
      need: "existing",
      manifests: "m",
    })
    expect(missingEnv(["--dry-run", "--manifests", "dir"], table, needing)).toMatchObject({
      command: "",
      manifests: "dir",
    })
    for (const args of [
      ["rollback", "-e", "s"],
      ["rollback", "--env=s"],
      ["rollback", "--help"],
      ["--version"],
      ["validate"],
      ["sim"],
      ["nonsense"],
      ["apply", "plan.json"],
    ])
      expect(missingEnv(args, table, needing), args.join(" ")).toBeUndefined()
  })
})
