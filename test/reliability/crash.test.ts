/** Crash and resume: the runs killed in the release build or reference data, and a resumed half-migrated schema (crashSuite.ts). */
import { crashSuite } from "./crashSuite.ts"

crashSuite({ waves: ["release", "reference-data"], resume: true })
