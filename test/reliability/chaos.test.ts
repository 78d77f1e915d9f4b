/** Chaos, seeds 1-25 (chaosScenario.ts says what every seed must do; chaosMore.test.ts has 26-50). */
import { chaosSuite } from "./chaosScenario.ts"

chaosSuite(1, 25)
