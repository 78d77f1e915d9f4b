/** vitest setupFile, run before every test file: see test/support/fileState.ts. */
import { resetFileState } from "./fileState.ts"

resetFileState()
