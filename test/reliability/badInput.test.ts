/** Bad input, cases 0-999 (badInputSuite.ts says what every case must do; badInputMore.test.ts has 1000-1999). */
import { badInputSuite } from "./badInputSuite.ts"

badInputSuite(0, 1000, 15)
