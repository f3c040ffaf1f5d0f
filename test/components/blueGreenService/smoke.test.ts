import { strict as assert } from "assert";
import { PROVIDER_TIMEOUT_ANNOTATION, SMOKE_ENV, SmokeTest } from "../../../components/blueGreenService";
import { loadPolicyConfig, loadPolicyPack } from "../../../tools/engine/pack";
import { evaluatePolicies } from "../../../tools/engine/policyEngine";
import { PlannedResource } from "../../../tools/engine/resource";
import { API_BLUE, API_GREEN, blueGreen, declare, named, ofKind, serviceArgs } from "../../support/blueGreen";

const SMOKE_IMAGE = "ghcr.io/synaptic-platform/synaptictrading/smoke-tests@sha256:" + "7".repeat(64);
const smoke: SmokeTest = {
    image: SMOKE_IMAGE,
    args: ["--expect-trading-mode"],
    timeout: "4m",
    env: { TRADING_MODE: "live", ALPACA_PAPER: "false" },
};
const urnOf = (resources: PlannedResource[], kind: string, name: string) =>
    ofKind(resources, kind).find(r => r.name === name)?.urn as string;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const envOf = (job: Record<string, any>) =>
    Object.fromEntries(job.spec.template.spec.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));

describe("component BlueGreenService: the smoke test", () => {
    let staged: PlannedResource[];
    before(async () => {
        staged = await declare(serviceArgs(blueGreen({ weight: 0 }), { smoke }));
    });

    it("is a Job against the candidate colour's own Service, named after what it tests, with the stack's trading flags", () => {
        const [job] = ofKind(staged, "Job");
        assert.equal(job.name, "api-smoke", "one stable resource name: a new version's Job replaces the old one");
        const inputs = job.inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
        assert.match(inputs.metadata.name, /^api-green-smoke-[0-9a-f]{10}$/);
        assert.equal(inputs.metadata.annotations[PROVIDER_TIMEOUT_ANNOTATION], "240");
        assert.equal(inputs.spec.activeDeadlineSeconds, 240);
        assert.equal(inputs.spec.backoffLimit, 0);
        const container = inputs.spec.template.spec.containers[0];
        assert.equal(container.image, SMOKE_IMAGE);
        assert.deepEqual(container.args, ["--expect-trading-mode"]);
        assert.deepEqual(envOf(inputs), {
            ALPACA_PAPER: "false",
            TRADING_MODE: "live",
            [SMOKE_ENV.colour]: "green",
            [SMOKE_ENV.image]: API_GREEN,
            [SMOKE_ENV.service]: "api",
            [SMOKE_ENV.targetUrl]: "http://api-green:8080",
        });
    });

    it("is hardened like the pods: non-root, read-only, no capabilities, no service-account token, and the whole pack passes it", async () => {
        const spec = named(staged, "Job", "api-smoke").spec.template.spec;
        assert.equal(spec.automountServiceAccountToken, false);
        assert.equal(spec.restartPolicy, "Never");
        assert.deepEqual(spec.securityContext.seccompProfile, { type: "RuntimeDefault" });
        assert.equal(spec.securityContext.runAsNonRoot, true);
        assert.deepEqual(spec.containers[0].securityContext, {
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        });
        const { config } = loadPolicyConfig("production");
        const result = await evaluatePolicies(loadPolicyPack(), staged, config);
        const jobUrn = urnOf(staged, "Job", "api-smoke");
        assert.deepEqual(
            result.violations.filter(v => v.urn === jobUrn).map(v => `${v.policyName}: ${v.message}`),
            [],
        );
        assert.deepEqual(result.errors, []);
    });

    it("runs after the candidate is up, and the load balancer objects move traffic only once it passed", () => {
        const job = ofKind(staged, "Job")[0];
        assert.ok(job.dependencies.includes(urnOf(staged, "Deployment", "api-green")), job.dependencies.join("\n"));
        assert.ok(job.dependencies.includes(urnOf(staged, "Service", "api-green")));
        const ingress = ofKind(staged, "Ingress")[0];
        assert.ok(ingress.dependencies.includes(job.urn), "the Ingress waits for the smoke test");
    });

    it("a new candidate image is a new Job name; the same one keeps it (nothing re-runs at the next step)", async () => {
        const atFive = await declare(serviceArgs(blueGreen({ weight: 5 }), { smoke }));
        assert.equal(named(atFive, "Job", "api-smoke").metadata.name, named(staged, "Job", "api-smoke").metadata.name);
        const next = await declare(
            serviceArgs(blueGreen({ weight: 0, images: { blue: API_BLUE, green: API_BLUE.replace(/1{64}$/, "3".repeat(64)) } }), { smoke }),
        );
        assert.notEqual(named(next, "Job", "api-smoke").metadata.name, named(staged, "Job", "api-smoke").metadata.name);
    });

    it("is not declared without a candidate image, nor without a smoke section", async () => {
        const activeOnly = await declare(serviceArgs(blueGreen({ images: { blue: API_BLUE } }), { smoke }));
        assert.deepEqual(ofKind(activeOnly, "Job"), []);
        assert.deepEqual(ofKind(await declare(serviceArgs(blueGreen())), "Job"), []);
    });

    it("tests a rolling service's Deployment after its rollout, without holding its Ingress", async () => {
        const rolling = await declare(
            serviceArgs({ strategy: "rolling", image: API_BLUE }, { smoke: { ...smoke, env: { TRADING_MODE: "paper" } } }),
            "staging",
        );
        const job = ofKind(rolling, "Job")[0];
        const inputs = job.inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
        assert.match(inputs.metadata.name, /^api-smoke-[0-9a-f]{10}$/);
        assert.equal(envOf(inputs)[SMOKE_ENV.targetUrl], "http://api:8080");
        assert.equal(envOf(inputs).TRADING_MODE, "paper");
        assert.ok(job.dependencies.includes(urnOf(rolling, "Deployment", "api")));
        assert.ok(!ofKind(rolling, "Ingress")[0].dependencies.includes(job.urn));
    });
});
