/** The reporter registry: every reporter, told about each run, never able to fail one. */
import type { Reporter } from "../engine/index.ts"
import { githubReporter } from "./github/reporter.ts"

export const reporters: ReadonlyArray<Reporter<never>> = [githubReporter]
