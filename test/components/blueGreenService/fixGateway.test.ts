import { strict as assert } from "assert";
import { fixCutoverProblem, nlbAnnotations } from "../../../components/blueGreenService/fixGateway";

describe("FIX gateway rules", () => {
    it("allows only a whole cutover", () => {
        assert.equal(fixCutoverProblem(0), undefined);
        assert.equal(fixCutoverProblem(100), undefined);
        for (const step of [5, 25, 50]) assert.match(String(fixCutoverProblem(step)), new RegExp(`step ${step} would split FIX sessions across both colours; a FIX session is logged on from exactly one gateway at a time`));
    });

    it("annotates an internal NLB with IP targets, TLS only when asked", () => {
        const plain = nlbAnnotations({ port: 9878 });
        assert.equal(plain["service.beta.kubernetes.io/aws-load-balancer-scheme"], "internal");
        assert.ok(!("service.beta.kubernetes.io/aws-load-balancer-ssl-cert" in plain));
        const tls = nlbAnnotations({ port: 9878, tls: { certificateArn: "arn:x", sslPolicy: "p" } });
        assert.equal(tls["service.beta.kubernetes.io/aws-load-balancer-ssl-cert"], "arn:x");
        assert.equal(tls["service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy"], "p");
    });
});
