import { strict as assert } from "assert";
import { validateStackConfig } from "../../../stacks/config";
import { committedConfig, problemsOf, rawConfig, withSection } from "../../support/stackConfig";

describe("config releaseEvidence", () => {
    it("applies the defaults the promotion gate's limits start from", () => {
        const config = withSection(committedConfig("production"), "releaseEvidence", e => ({ store: e.store }));
        const { releaseEvidence } = validateStackConfig(rawConfig("production", config));
        assert.deepEqual(
            { scan: releaseEvidence?.scan, loadTest: releaseEvidence?.loadTest, maxAgeDays: releaseEvidence?.maxAgeDays },
            {
                scan: { blockSeverity: "CRITICAL", allowList: [] },
                loadTest: {
                    httpP95Ms: 500,
                    httpP99Ms: 1000,
                    httpErrorRate: 0.01,
                    orderExecutionMetric: "order_execution_duration",
                    orderExecutionP95Ms: 300,
                },
                maxAgeDays: 14,
            },
        );
    });

    it("is required in production and refused in staging: one stack owns the store", () => {
        const none = withSection(committedConfig("production"), "releaseEvidence", () => undefined);
        assert.deepEqual(problemsOf("production", none), [
            "- production: trading-platform:releaseEvidence: expected the releaseEvidence section: the promotion gate reads its limits and the evidence store from it (see docs/config.md); found nothing (the key is not set)",
        ]);
        const production = committedConfig("production").values["trading-platform:releaseEvidence"];
        const staging = withSection(committedConfig("staging"), "releaseEvidence", () => JSON.parse(production));
        assert.deepEqual(problemsOf("staging", staging), [
            "- staging: trading-platform:releaseEvidence: expected no releaseEvidence section: the production stack owns the evidence store and the gate's settings; found a releaseEvidence section",
        ]);
    });

    it("names a bad allow-list entry, a reader that also writes, a bad severity and inverted limits", () => {
        const config = withSection(committedConfig("production"), "releaseEvidence", e => {
            e.scan.allowList = [{ id: "CVE-2024-45337", reason: "not linked into the binary", expires: "2026-02-30" }];
            e.scan.blockSeverity = "SEVERE";
            return e;
        });
        assert.deepEqual(problemsOf("production", config), [
            '- production: trading-platform:releaseEvidence.scan.blockSeverity: expected one of "UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"; found "SEVERE"',
            '- production: trading-platform:releaseEvidence.scan.allowList.0.expires: expected a real calendar date as YYYY-MM-DD; found "2026-02-30"',
        ]);
        const crossed = withSection(committedConfig("production"), "releaseEvidence", e => {
            e.store.readerRoleArns = [...e.store.writerRoleArns];
            e.loadTest.httpP99Ms = 400;
            e.scan.allowList = [1, 2].map(() => ({ id: "CVE-2024-45337", reason: "not linked into the binary", expires: "2026-12-31" }));
            return e;
        });
        assert.deepEqual(problemsOf("production", crossed), [
            '- production: trading-platform:releaseEvidence.store.readerRoleArns.0: expected a role that only reads evidence (not also a writer); found "arn:aws:iam::444455556666:role/synaptic-trading-app-ci"',
            "- production: trading-platform:releaseEvidence.scan.allowList.1.id: expected each vulnerability listed once; found CVE-2024-45337 again",
            "- production: trading-platform:releaseEvidence.loadTest.httpP99Ms: expected a limit at least httpP95Ms (500); found 400",
        ]);
    });

    it("keeps promotion records under a prefix apart from the evidence", () => {
        const config = withSection(committedConfig("production"), "releaseEvidence", r => ({
            ...r,
            store: { ...r.store, recordsPrefix: "release-evidence/records" },
        }));
        assert.deepEqual(problemsOf("production", config), [
            '- production: trading-platform:releaseEvidence.store.recordsPrefix: expected a prefix apart from the evidence\'s ("release-evidence"): the CI writes evidence, the promote job records; found "release-evidence/records"',
        ]);
    });
});
