/** Chaos, seeds 26-50 (chaosScenario.ts says what every seed must do; chaos.test.ts has 1-25). */
import { chaosSuite } from "./chaosScenario.ts"

chaosSuite(26, 50)
