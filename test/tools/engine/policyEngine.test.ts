import * as docker from "@pulumi/docker";
import {
    Policy,
    ResourceValidationPolicy,
    StackValidationPolicy,
    validateResourceOfType,
    validateStackResourcesOfType,
} from "@pulumi/policy";
import { strict as assert } from "assert";
import { environmentStacksSchema } from "../../../policy/lib/stacks";
import { evaluatePolicies, knownStacks, PolicyPackDefinition, reconcilePolicyConfig } from "../../../tools/engine/policyEngine";
import { UNKNOWN } from "../../../tools/runtime/propertyValues";
import { dockerContainer, DOCKER_CONTAINER } from "../../support/fixtures";
import { resourceOf, urnOf } from "../../support/policyHarness";

const pack = (policies: Policy[], enforcementLevel: PolicyPackDefinition["enforcementLevel"] = "advisory"): PolicyPackDefinition => ({
    name: "engine-test",
    version: "1.2.3",
    enforcementLevel,
    policies: policies as PolicyPackDefinition["policies"],
});

/** A policy that reports one violation per Docker container, at whatever level it runs. */
const always = (name: string, enforcementLevel?: ResourceValidationPolicy["enforcementLevel"]): ResourceValidationPolicy => ({
    name,
    description: `${name} description.`,
    enforcementLevel,
    validateResource: validateResourceOfType(docker.Container, (_c, _args, report) => report(`${name} fired`)),
});

const network = resourceOf("staging", "docker:index/network:Network", "backend", { name: "backend" });

describe("in-process policy evaluator", () => {
    describe("enforcement levels", () => {
        it("uses per-policy config, then the policy's own level, then the pack's", async () => {
            const result = await evaluatePolicies(
                pack([always("configured", "advisory"), always("own", "mandatory"), always("inherits")], "advisory"),
                [dockerContainer("staging")],
                { configured: "mandatory" },
            );
            const levelOf = (name: string) => result.violations.find(v => v.policyName === name)?.enforcementLevel;
            assert.equal(levelOf("configured"), "mandatory");
            assert.equal(levelOf("own"), "mandatory");
            assert.equal(levelOf("inherits"), "advisory");
            assert.deepEqual(result.levels, { configured: "mandatory", own: "mandatory", inherits: "advisory" });
        });

        it('applies "all" to every policy, under each policy\'s own entry', async () => {
            const result = await evaluatePolicies(
                pack([always("a", "mandatory"), always("b", "mandatory")]),
                [dockerContainer("staging")],
                {
                    all: "advisory",
                    b: { enforcementLevel: "mandatory" },
                },
            );
            assert.deepEqual(result.levels, { a: "advisory", b: "mandatory" });
        });

        it("skips a disabled policy entirely", async () => {
            const result = await evaluatePolicies(pack([always("off", "mandatory")]), [dockerContainer("staging")], { off: "disabled" });
            assert.deepEqual(result.violations, []);
            assert.equal(result.counts.validationsRun, 0);
        });

        it("stamps each violation with its policy's severity as the engine does, lets the object form set its own, and leaves it out when the policy has none", async () => {
            const graded: ResourceValidationPolicy = { ...always("graded", "mandatory"), severity: "high" };
            const own: ResourceValidationPolicy = {
                ...always("own-severity", "mandatory"),
                severity: "low",
                validateResource: validateResourceOfType(docker.Container, (_c, _args, report) =>
                    report({ message: "own", severity: "critical" } as unknown as string),
                ),
            };
            const result = await evaluatePolicies(pack([graded, own, always("ungraded", "mandatory")]), [dockerContainer("staging")]);
            const severityOf = (name: string) => result.violations.find(v => v.policyName === name)!;
            assert.equal(severityOf("graded").severity, "high");
            assert.equal(severityOf("own-severity").severity, "critical");
            assert.ok(
                !("severity" in severityOf("ungraded")),
                "no severity key, so the JSON of an ungraded policy's violation is unchanged",
            );
        });

        it("formats a violation as the engine does: description, newline, message", async () => {
            const [violation] = (await evaluatePolicies(pack([always("fmt", "mandatory")]), [dockerContainer("staging")])).violations;
            assert.equal(violation.message, "fmt description.\nfmt fired");
            assert.equal(violation.urn, dockerContainer("staging").urn);
        });

        it("accepts the analyzer's object form, which sets its own level and is not prefixed", async () => {
            const ownLevel: ResourceValidationPolicy = {
                name: "own-level",
                description: "Own level.",
                enforcementLevel: "mandatory",
                validateResource: (_args, report) =>
                    (report as unknown as (info: object) => void)({ message: "only a note", enforcementLevel: "advisory" }),
            };
            const [violation] = (await evaluatePolicies(pack([ownLevel]), [network])).violations;
            assert.deepEqual([violation.enforcementLevel, violation.message, violation.urn], ["advisory", "only a note", network.urn]);
        });

        it("remediates first, then reports what remains as mandatory", async () => {
            const fixesReadOnly: ResourceValidationPolicy = {
                name: "fixes-read-only",
                description: "Read-only.",
                validateResource: validateResourceOfType(docker.Container, (c, _a, report) => {
                    if (!c.readOnly) report("still writable");
                }),
                remediateResource: args => ({ ...args.props, readOnly: true }),
            };
            const cannotFix: ResourceValidationPolicy = { ...always("cannot-fix"), remediateResource: () => undefined };
            const result = await evaluatePolicies(pack([fixesReadOnly, cannotFix]), [dockerContainer("staging", { readOnly: false })], {
                all: "remediate",
            });
            assert.deepEqual(
                result.remediations.map(r => r.policyName),
                ["fixes-read-only"],
            );
            assert.deepEqual(
                result.violations.map(v => [v.policyName, v.enforcementLevel]),
                [["cannot-fix", "mandatory"]],
            );
        });

        it("counts a stack policy at the remediate level as mandatory", async () => {
            const stackPolicy: StackValidationPolicy = {
                name: "stack-remediate",
                description: "Stack.",
                validateStack: (_args, report) => report("stack fired"),
            };
            const result = await evaluatePolicies(pack([stackPolicy]), [network], { "stack-remediate": "remediate" });
            assert.equal(result.violations[0].enforcementLevel, "mandatory");
        });
    });

    describe("policy config", () => {
        const configurable: ResourceValidationPolicy = {
            name: "configurable",
            description: "Configurable.",
            configSchema: {
                properties: {
                    limit: { type: "number", default: 3 },
                    names: { type: "array", items: { type: "string" }, default: ["a"] },
                    required: { type: "string" },
                },
            },
            validateResource: validateResourceOfType(docker.Container, (_c, args, report) => report(JSON.stringify(args.getConfig()))),
        };

        it("applies schema defaults, then the given values on top", async () => {
            const result = await evaluatePolicies(pack([configurable]), [dockerContainer("staging")], { configurable: { limit: 5 } });
            assert.deepEqual(JSON.parse(result.violations[0].detail), { limit: 5, names: ["a"] });
        });

        it("rejects config that breaks the schema, naming the policy", () => {
            assert.throws(
                () => reconcilePolicyConfig(pack([configurable]), { configurable: { limit: "many" } }),
                /configurable: \/limit must be number/,
            );
            assert.throws(
                () => reconcilePolicyConfig(pack([configurable]), { configurable: "loud" }),
                /"loud" is not a valid enforcement level/,
            );
        });

        it("enforces required properties", () => {
            const strict = { ...configurable, configSchema: { ...configurable.configSchema!, required: ["required"] } };
            assert.throws(() => reconcilePolicyConfig(pack([strict]), {}), /configurable: \(root\) must have required property 'required'/);
        });

        it("refuses config for a policy the pack does not have, as the CLI fails the run", async () => {
            assert.throws(
                () => reconcilePolicyConfig(pack([configurable]), { typo: "advisory", configurable: { required: "x" } }),
                /Invalid policy pack config:\n {2}- "typo" is not a policy of pack engine-test; known policies: configurable/,
            );
            await assert.rejects(evaluatePolicies(pack([configurable]), [dockerContainer("staging")], { typo: "advisory" }), {
                name: "UsageError",
            });
            assert.deepEqual(reconcilePolicyConfig(pack([configurable]), { all: "advisory" }).warnings, []);
        });

        it("knows the stacks its policies are configured to tell apart", () => {
            const segregating: ResourceValidationPolicy = {
                ...configurable,
                name: "segregating",
                configSchema: { properties: { ...environmentStacksSchema } },
            };
            assert.deepEqual(knownStacks(pack([configurable, segregating])), ["production", "staging"]);
            assert.deepEqual(knownStacks(pack([segregating]), { segregating: { stagingStacks: ["staging", "staging-eu"] } }), [
                "production",
                "staging",
                "staging-eu",
            ]);
        });
    });

    describe("applicability and failures", () => {
        it("treats a typed validation as not applicable to other types, without calling it", async () => {
            let calls = 0;
            const typed: ResourceValidationPolicy = {
                name: "typed",
                description: "Typed.",
                validateResource: validateResourceOfType(docker.Container, () => {
                    calls++;
                }),
            };
            const result = await evaluatePolicies(pack([typed]), [network, dockerContainer("staging")]);
            assert.equal(calls, 1);
            assert.equal(result.counts.notApplicable, 1);
        });

        it("calls each function of a validateResource array separately; notApplicable in one does not stop the next", async () => {
            const seen: string[] = [];
            const both: ResourceValidationPolicy = {
                name: "both",
                description: "Both.",
                validateResource: [
                    args => {
                        seen.push("first");
                        args.notApplicable("not mine");
                    },
                    (_args, report) => {
                        seen.push("second");
                        report("second fired");
                    },
                ],
            };
            const result = await evaluatePolicies(pack([both]), [network]);
            assert.deepEqual(seen, ["first", "second"]);
            assert.equal(result.counts.notApplicable, 1);
            assert.equal(result.violations.length, 1);
        });

        it("reports a policy that throws instead of swallowing it", async () => {
            const broken: ResourceValidationPolicy = {
                name: "broken",
                description: "Broken.",
                validateResource: () => {
                    throw new TypeError("cannot read properties of undefined");
                },
            };
            const result = await evaluatePolicies(pack([broken]), [network]);
            assert.deepEqual(result.errors, [
                { policyName: "broken", urn: network.urn, message: "Error validating resource: cannot read properties of undefined" },
            ]);
        });

        it("turns a read of an unknown value into an advisory preview note, even for a mandatory policy", async () => {
            const readsImage: ResourceValidationPolicy = {
                name: "reads-image",
                description: "Reads the image.",
                enforcementLevel: "mandatory",
                validateResource: validateResourceOfType(docker.Container, (c, _a, report) => report(`image is ${c.image}`)),
            };
            const result = await evaluatePolicies(pack([readsImage]), [dockerContainer("staging", { image: UNKNOWN })]);
            assert.equal(result.violations.length, 1);
            assert.equal(result.violations[0].enforcementLevel, "advisory");
            assert.equal(result.violations[0].previewUnknown, true);
            assert.match(
                result.violations[0].message,
                /can't run policy 'reads-image' from policy pack 'engine-test@v1\.2\.3' during preview: string value at \.image can't be known during preview/,
            );
        });
    });

    describe("isolation", () => {
        // What a policy saw is observed through what it reports: a policy that writes to its input is
        // run again on a copy of its own, and only that run's reports count, as under the engine.
        it("gives each policy its own copy of a resource: what one policy changes, the next does not see", async () => {
            const vandal = (name: string): ResourceValidationPolicy => ({
                name,
                description: "Mutates what it is given.",
                validateResource: (args, report) => {
                    report(`saw ${String(args.props.name)}`);
                    args.props.name = `changed by ${name}`;
                    report(`wrote ${String(args.props.name)}`);
                },
            });
            const stackVandal = (name: string): StackValidationPolicy => ({
                name,
                description: "Mutates what it is given.",
                validateStack: (args, report) => {
                    const props = args.resources[0].props;
                    report(`saw ${String(props.name)}`);
                    props.name = `changed by ${name}`;
                    report(`wrote ${String(props.name)}`);
                },
            });
            const original = structuredClone(network.inputs);
            const result = await evaluatePolicies(pack([vandal("first"), vandal("second"), stackVandal("third"), stackVandal("fourth")]), [
                network,
            ]);
            assert.deepEqual(
                result.violations.map(v => `${v.policyName}: ${v.detail}`),
                ["first", "second", "third", "fourth"].flatMap(name => [`${name}: saw backend`, `${name}: wrote changed by ${name}`]),
            );
            assert.deepEqual(result.errors, []);
            assert.deepEqual(network.inputs, original);
        });

        it("reports a policy that throws once: its error, and what it reported before throwing, not twice", async () => {
            const broken: ResourceValidationPolicy = {
                name: "broken",
                description: "Throws.",
                validateResource: (_args, report) => {
                    report("half-way");
                    throw new Error("boom");
                },
            };
            const result = await evaluatePolicies(pack([broken]), [network]);
            assert.deepEqual(
                result.violations.map(v => v.detail),
                ["half-way"],
            );
            assert.deepEqual(
                result.errors.map(e => e.message),
                ["Error validating resource: boom"],
            );
            assert.equal(result.counts.validationsRun, 1);
        });
    });

    describe("isolation of shared copies", () => {
        it("hides nested additions, deletions and option changes of one policy from the next, for resource and stack policies", async () => {
            const seen: string[] = [];
            const resource = dockerContainer("staging", { envs: ["A=1"], labels: [{ label: "x", value: "" }] });
            const look = (props: Record<string, unknown>, opts: unknown) =>
                JSON.stringify({ envs: props.envs, labels: props.labels, extra: props.extra, opts });
            const vandal = (name: string): ResourceValidationPolicy => ({
                name,
                description: "Mutates nested data.",
                validateResource: args => {
                    seen.push(look(args.props, args.opts));
                    (args.props.envs as string[]).push("B=2");
                    delete (args.props.labels as Record<string, unknown>[])[0].value;
                    args.props.extra = "";
                    args.opts.ignoreChanges.push("envs");
                },
            });
            const stackVandal = (name: string): StackValidationPolicy => ({
                name,
                description: "Mutates nested data.",
                validateStack: args => {
                    const [r] = args.resources;
                    seen.push(look(r.props, r.opts));
                    (r.props.envs as string[]).push("B=2");
                    r.props.extra = "";
                    r.opts.ignoreChanges.push("envs");
                },
            });
            const original = structuredClone(resource);
            await evaluatePolicies(pack([vandal("first"), vandal("second"), stackVandal("third"), stackVandal("fourth")]), [resource]);
            assert.equal(new Set(seen).size, 1, seen.join("\n"));
            assert.deepEqual(JSON.parse(seen[0]).envs, ["A=1"]);
            assert.deepEqual(resource, original);
        });
    });

    describe("provider isolation", () => {
        it("gives each policy its own copy of a resource's provider too", async () => {
            const provider = resourceOf("staging", "pulumi:providers:docker", "host", { host: "ssh://deploy@host" });
            const container = { ...dockerContainer("staging"), provider: provider.urn };
            const vandal = (name: string): ResourceValidationPolicy => ({
                name,
                description: "Mutates its provider.",
                validateResource: validateResourceOfType(docker.Container, (_, args, report) => {
                    report(`saw ${String(args.provider?.props.host)}`);
                    if (args.provider) args.provider.props.host = `changed by ${name}`;
                }),
            });
            const stackVandal = (name: string): StackValidationPolicy => ({
                name,
                description: "Mutates its provider.",
                validateStack: (args, report) => {
                    const props = args.resources.find(r => r.provider)?.provider?.props;
                    report(`saw ${String(props?.host)}`);
                    if (props) props.host = `changed by ${name}`;
                },
            });
            const result = await evaluatePolicies(pack([vandal("first"), vandal("second"), stackVandal("third"), stackVandal("fourth")]), [
                provider,
                container,
            ]);
            assert.deepEqual(
                result.violations.map(v => v.detail),
                Array(4).fill("saw ssh://deploy@host"),
            );
            assert.equal(provider.inputs.host, "ssh://deploy@host");
        });
    });

    describe("stack policies", () => {
        it("see every resource's outputs with parents and dependencies linked", async () => {
            const parentUrn = urnOf("staging", "trading-platform:docker:DockerHostNamespace", "ns");
            const parent = resourceOf(
                "staging",
                "trading-platform:docker:DockerHostNamespace",
                "ns",
                {},
                { outputs: { containerNames: { api: "c" } } },
            );
            const child = { ...dockerContainer("staging"), parent: parentUrn, dependencies: [network.urn] };
            const seen: string[] = [];
            const inspect: StackValidationPolicy = {
                name: "inspect",
                description: "Inspect.",
                validateStack: args => {
                    for (const r of args.resources) {
                        seen.push(`${r.name} parent=${r.parent?.name ?? "-"} deps=${r.dependencies.map(d => d.name).join(",")}`);
                    }
                    seen.push(JSON.stringify(args.resources[0].props));
                },
            };
            await evaluatePolicies(pack([inspect]), [parent, child, network]);
            assert.deepEqual(seen, [
                "ns parent=- deps=",
                `${child.name} parent=ns deps=backend`,
                "backend parent=- deps=",
                JSON.stringify({ containerNames: { api: "c" } }),
            ]);
        });

        it("is not applicable when no resource has its type", async () => {
            let called = false;
            const typed: StackValidationPolicy = {
                name: "typed-stack",
                description: "Typed stack.",
                validateStack: validateStackResourcesOfType(docker.Container, () => {
                    called = true;
                }),
            };
            const result = await evaluatePolicies(pack([typed]), [network]);
            assert.equal(called, false);
            assert.equal(result.counts.notApplicable, 1);
            await evaluatePolicies(pack([typed]), [network, resourceOf("staging", DOCKER_CONTAINER, "c", {})]);
            assert.equal(called, true);
        });
    });
});
