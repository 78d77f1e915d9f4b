/**
 * Test-file order for the worker pool: the slowest end-to-end files start first, so on a fresh clone
 * (no duration cache yet, where vitest's own order is the glob's) no 60-second file is left to run
 * alone at the end while the other worker sits idle. The rest keep vitest's order (cached durations,
 * longest first, once a run has recorded them).
 */
import { relative } from "node:path"
import { BaseSequencer, type TestSpecification } from "vitest/node"

/**
 * Slowest first, as measured on a quiet 2-core machine (seconds, one worker). Three of the slowest
 * files were split in two (the figure beside a first half is the whole file's, before the split): the two
 * halves start side by side on the two workers, and no minute-long file is left alone at the end.
 */
export const slowFirst: ReadonlyArray<string> = [
  "test/herokuCli.test.ts", // 108 with herokuCliConfig.test.ts (the deploy chain is the longer part)
  "test/herokuCliConfig.test.ts",
  "test/reliability/chaos.test.ts", // 70 with chaosMore.test.ts (25 seeds each)
  "test/reliability/chaosMore.test.ts",
  "test/reliability/crash.test.ts", // 63
  "test/reliability/badInput.test.ts", // 51 with badInputMore.test.ts (1,000 cases each)
  "test/reliability/badInputMore.test.ts",
  "test/release/rollbackCli.test.ts", // 26
  "test/privateCheckout.test.ts", // 15
  "test/database/hangs.test.ts", // 15
  "test/cli.test.ts", // 15
  "test/heroku/faults.test.ts", // 14
  "test/history.test.ts", // 13
]

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: Array<TestSpecification>): Promise<Array<TestSpecification>> {
    const sorted = await super.sort(files)
    const rank = (spec: TestSpecification) => {
      const i = slowFirst.indexOf(relative(spec.project.config.root, spec.moduleId).replaceAll("\\", "/"))
      return i === -1 ? slowFirst.length : i
    }
    // Array.prototype.sort is stable: files off the list keep the base order
    return sorted.sort((a, b) => rank(a) - rank(b))
  }
}
