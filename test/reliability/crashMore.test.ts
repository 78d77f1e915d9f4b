/** Crash and resume: the runs killed in config or migrations (crashSuite.ts). */
import { crashSuite } from "./crashSuite.ts"

crashSuite({ waves: ["config", "migrations"], resume: false })
