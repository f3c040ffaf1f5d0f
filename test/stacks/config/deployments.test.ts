import { strict as assert } from "assert";
import { StackConfigError } from "../../../stacks/config";
import { runProgram } from "../../../tools/runtime/program";
import { committedConfig, problemsOf, project, withSection } from "../../support/stackConfig";

describe("stack config: deployments, the FIX gateway", () => {
    it("a partial weight for a FIX service is an error that says why", () => {
        const config = withSection(committedConfig("production"), "deployments", d => {
            const fix = d.services["fix-gateway"];
            fix.blueGreen.images.blue = fix.blueGreen.images.green.replace(/@sha256:.*/, "@sha256:" + "5".repeat(64));
            fix.blueGreen.weight = 25;
            return d;
        });
        assert.deepEqual(problemsOf("production", config), [
            "- production: trading-platform:deployments.services.fix-gateway.blueGreen.weight: expected 0 or 100 for a FIX service (a whole cutover); found weight 25 would split FIX sessions across both colours; a FIX session is logged on from exactly one gateway at a time, so a FIX service cuts over whole (weight 0 or 100)",
        ]);
    });

    it("the old key blueGreen.step is one problem that names it and says to use weight, and nothing is registered", async () => {
        const config = withSection(committedConfig("production"), "deployments", d => {
            const { weight, ...rest } = d.services.api.blueGreen;
            d.services.api.blueGreen = { ...rest, step: weight };
            return d;
        });
        assert.deepEqual(problemsOf("production", config), [
            "- production: trading-platform:deployments.services.api.blueGreen.step: expected the key weight in its place: blueGreen.step was renamed blueGreen.weight (the candidate's share of traffic, in percent); found 5",
        ]);
        const run = await runProgram({
            project: project.name,
            stack: "production",
            program: { entry: project.entry },
            config: config.values,
            secretKeys: config.secretKeys,
        });
        assert.ok(run.error && StackConfigError.isInstance(run.error));
        assert.match(
            run.error.message,
            /^Invalid configuration for stack "production" \(1 problem\); no resource was registered:\n {2}- production: trading-platform:deployments\.services\.api\.blueGreen\.step: expected the key weight in its place/,
        );
        assert.deepEqual(run.resources, []);
    });

    it("an unknown key under blueGreen still lists the known ones", () => {
        const config = withSection(committedConfig("production"), "deployments", d => {
            d.services.api.blueGreen.wieght = 5;
            return d;
        });
        assert.deepEqual(problemsOf("production", config), [
            '- production: trading-platform:deployments.services.api.blueGreen.wieght: expected one of the known keys (activeColour, images, weight, finalize); found the unknown key "wieght"',
        ]);
    });

    it("a FIX service takes an NLB, never an ingress; an HTTP service never an NLB", () => {
        const config = withSection(committedConfig("staging"), "deployments", d => {
            d.services["fix-gateway"].ingress = { host: "fix.staging.internal.trading-engine.com", scheme: "internal" };
            delete d.services["fix-gateway"].nlb;
            d.services.api.nlb = { port: 9000 };
            return d;
        });
        assert.deepEqual(problemsOf("staging", config), [
            "- staging: trading-platform:deployments.services.api.nlb: expected no nlb on an HTTP service (set protocol: fix for a FIX gateway); found an nlb section",
            "- staging: trading-platform:deployments.services.fix-gateway.ingress: expected no ingress: a FIX session is a long-lived TCP connection and an ALB carries HTTP (expose it with nlb); found an ingress",
            "- staging: trading-platform:deployments.services.fix-gateway.nlb: expected an nlb section (port, optional tls): a FIX service is reached through an internal NLB; found nothing",
        ]);
    });
});

describe("stack config: deployments, smoke tests and the scrape interval", () => {
    it("production tests every blue-green candidate before traffic: a service without smoke is an error naming the key", () => {
        const config = withSection(committedConfig("production"), "deployments", d => {
            delete d.services.websocket.smoke;
            return d;
        });
        assert.deepEqual(problemsOf("production", config), [
            "- production: trading-platform:deployments.services.websocket.smoke: expected a smoke test ({image, args, timeout}): production tests each candidate before any traffic moves to it; found nothing",
        ]);
    });

    it("a smoke image is pinned by digest under the organisation's packages in production, and its timeout lets the update wait", () => {
        const config = withSection(committedConfig("production"), "deployments", d => {
            d.services.api.smoke = { image: "docker.io/library/busybox:latest", timeout: "2h" };
            return d;
        });
        assert.deepEqual(problemsOf("production", config), [
            '- production: trading-platform:deployments.services.api.smoke.image: expected an image under ghcr.io/synaptic-platform/synaptictrading/; found "docker.io/library/busybox:latest"',
            '- production: trading-platform:deployments.services.api.smoke.image: expected an image pinned by digest (…@sha256:…): production deploys only what staging ran; found "docker.io/library/busybox:latest"',
            '- production: trading-platform:deployments.services.api.smoke.timeout: expected 10s to 30m: the update waits for the smoke test; found "2h"',
        ]);
    });

    it("scrapes every 30s unless set, between 100ms and 5m", () => {
        const config = withSection(committedConfig("staging"), "deployments", d => ({ ...d, scrapeInterval: "10m" }));
        assert.deepEqual(problemsOf("staging", config), [
            '- staging: trading-platform:deployments.scrapeInterval: expected 100ms to 5m; found "10m"',
        ]);
    });
});
