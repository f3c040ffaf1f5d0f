import { strict as assert } from "assert";
import { dataPorts, POSTGRES_PORT, REDIS_PORT } from "../../platform/data";

describe("platform/data: the data services' ports", () => {
    it("are the engines' standard ports, named for violations", () => {
        assert.equal(POSTGRES_PORT, 5432);
        assert.equal(REDIS_PORT, 6379);
        assert.deepEqual(dataPorts, { PostgreSQL: 5432, Redis: 6379 });
    });
});
