import { strict as assert } from "assert";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { typecheck } = require("./typecheck") as { typecheck: () => Promise<{ code: number; output: string }> };

// Run as a test so that it runs beside the others (tsc on one core while tests use the other) and a
// type error counts among the failures CI reads; first in the order .mocharc.js gives.
describe("TypeScript", function () {
    // tsc's own time, however loaded the machine: it ends with its exit, never on a timer.
    this.timeout(0);

    it("type-checks both projects: the repository, and the policy pack on its own as it is published", async () => {
        const { code, output } = await typecheck();
        assert.equal(code, 0, `tsc --build failed:\n${output}`);
    });
});
