/** Bad input, cases 1000-1999 (badInputSuite.ts says what every case must do; badInput.test.ts has 0-999). */
import { badInputSuite } from "./badInputSuite.ts"

badInputSuite(1000, 1000, 15)
