import { strict as assert } from "assert";
import { PodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import { podMonitorSpec, SCRAPE_INTERVAL } from "../../../components/blueGreenService";
import { durationMs } from "../../../stacks/config/promotion";

describe("blueGreenService metrics: the PodMonitor", () => {
    it("scrapes every service at an explicit interval, the one rate windows are measured against", () => {
        const spec = podMonitorSpec("api");
        assert.deepEqual(
            spec.podMetricsEndpoints.map(e => e.interval),
            [SCRAPE_INTERVAL],
        );
        // Prometheus' default scrape timeout (10 s) must fit in the interval.
        assert.ok(durationMs(SCRAPE_INTERVAL) > 10_000);
        assert.doesNotThrow(() => new PodMonitor({ metadata: { name: "api" }, spec }).validate());
        assert.deepEqual(
            podMonitorSpec("api", "15s").podMetricsEndpoints.map(e => e.interval),
            ["15s"],
        );
    });
});
