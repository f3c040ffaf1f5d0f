import { strict as assert } from "assert";
import { nlbAnnotations } from "../../../components/blueGreenService/fixGateway";

describe("FIX gateway rules", () => {
    it("annotates an internal NLB with IP targets, TLS only when asked", () => {
        const plain = nlbAnnotations({ port: 9878 });
        assert.equal(plain["service.beta.kubernetes.io/aws-load-balancer-scheme"], "internal");
        assert.ok(!("service.beta.kubernetes.io/aws-load-balancer-ssl-cert" in plain));
        const tls = nlbAnnotations({ port: 9878, tls: { certificateArn: "arn:x", sslPolicy: "p" } });
        assert.equal(tls["service.beta.kubernetes.io/aws-load-balancer-ssl-cert"], "arn:x");
        assert.equal(tls["service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy"], "p");
    });
});
