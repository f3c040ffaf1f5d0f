import { strict as assert } from "assert";
import { redisTlsInTransit } from "../../../policy/data/redisTlsInTransit";
import { violationsOf } from "../../support/policyHarness";
import { redisGroup } from "./fixtures";

describe("policy redis-tls-in-transit", () => {
    it("passes TLS with an AUTH token", async () => {
        assert.deepEqual(await violationsOf(redisTlsInTransit, [redisGroup("production")]), []);
    });

    it("fails plaintext transit, a preferred (optional) TLS mode and a missing AUTH token", async () => {
        assert.match(
            (await violationsOf(redisTlsInTransit, [redisGroup("staging", { transitEncryptionEnabled: false })]))[0],
            /transitEncryptionEnabled false.*Fix: transitEncryptionEnabled: true/,
        );
        assert.match(
            (await violationsOf(redisTlsInTransit, [redisGroup("staging", { transitEncryptionMode: "preferred" })]))[0],
            /still accepts unencrypted connections/,
        );
        assert.match(
            (await violationsOf(redisTlsInTransit, [redisGroup("staging", { authToken: undefined })]))[0],
            /has no AUTH token.*redisAuthToken/,
        );
    });
});
