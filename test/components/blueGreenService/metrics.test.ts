import { strict as assert } from "assert";
import { PodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import { podMonitorSpec, SCRAPE_INTERVAL_SECONDS } from "../../../components/blueGreenService";

describe("blueGreenService metrics: the PodMonitor", () => {
    it("scrapes every service at an explicit interval, the one rate windows are measured against", () => {
        const spec = podMonitorSpec("api");
        assert.deepEqual(spec.podMetricsEndpoints.map(e => e.interval), [`${SCRAPE_INTERVAL_SECONDS}s`]);
        // Prometheus' default scrape timeout (10 s) must fit in the interval.
        assert.ok(SCRAPE_INTERVAL_SECONDS > 10 && Number.isInteger(SCRAPE_INTERVAL_SECONDS));
        assert.doesNotThrow(() => new PodMonitor({ metadata: { name: "api" }, spec }).validate());
    });
});
