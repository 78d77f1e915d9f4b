/** The simulator's own delays come from its options, else from the environment, else the defaults. */
import { describe, expect, it } from "vitest"
import { delayFromEnv } from "./options.ts"

describe("simulated delays from the environment", () => {
  const name = "HEROKU_SIM_PROVISION_DELAY_MS"
  it("reads milliseconds, including 0 (at once)", () => {
    expect(delayFromEnv(name, 300, { [name]: "20" })).toBe(20)
    expect(delayFromEnv(name, 300, { [name]: "0" })).toBe(0)
  })
  it("falls back to the default when unset or empty", () => {
    expect(delayFromEnv(name, 300, {})).toBe(300)
    expect(delayFromEnv(name, 300, { [name]: " " })).toBe(300)
  })
  it("refuses anything but a non-negative number, naming the variable", () => {
    expect(() => delayFromEnv(name, 300, { [name]: "soon" })).toThrow(/HEROKU_SIM_PROVISION_DELAY_MS must be/)
    expect(() => delayFromEnv(name, 300, { [name]: "-5" })).toThrow(/>= 0/)
  })
})
