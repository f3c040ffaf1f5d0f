import { strict as assert } from "assert";
import { StackConfigError, validateStackConfig } from "../../../stacks/config";
import { sizeToMiB } from "../../../stacks/config/primitives";
import { runProgram } from "../../../tools/runtime/program";
import { committedConfig, problemsOf, project, rawConfig, withSection } from "../../support/stackConfig";

describe("stack config", () => {
    it("accepts both committed stack files", () => {
        for (const stack of ["staging", "production"] as const) {
            const config = validateStackConfig(rawConfig(stack, committedConfig(stack)));
            assert.equal(config.stack, stack);
            assert.equal(config.dockerHost.services["rest-adapter"]?.restart, "unless-stopped", "defaults are applied");
        }
    });

    it("names the stack, the key, the expectation and the finding for a host that is not ssh://user@host", () => {
        const config = withSection(committedConfig("staging"), "dockerHost", host => ({
            ...host,
            host: "tcp://bom-shared-docker-01:2376",
        }));
        assert.deepEqual(problemsOf("staging", config), [
            '- staging: trading-platform:dockerHost.host: expected an SSH URL like ssh://user@host or ssh://user@host:2222; found "tcp://bom-shared-docker-01:2376"',
        ]);
    });

    it("rejects an unknown service, listing the known ones", () => {
        const config = withSection(committedConfig("staging"), "dockerHost", host => {
            host.services["order-router"] = host.services["rest-adapter"];
            return host;
        });
        assert.deepEqual(problemsOf("staging", config), [
            '- staging: trading-platform:dockerHost.services.order-router: expected one of the known keys (data-pipeline, strategy-sim, rest-adapter, timescale-backup); found the unknown key "order-router"',
        ]);
    });

    it("rejects a memory limit without a unit", () => {
        const config = withSection(committedConfig("production"), "dockerHost", host => {
            host.services["strategy-sim"].memory = 512;
            return host;
        });
        assert.deepEqual(problemsOf("production", config), [
            '- production: trading-platform:dockerHost.services.strategy-sim.memory: expected a size with a unit (k, m or g), e.g. "512m"; found 512',
        ]);
    });

    it("refuses a staging stack in live trading mode, and a live endpoint in paper mode", () => {
        const live = withSection(committedConfig("staging"), "trading", () => ({
            mode: "live",
            brokerEndpoint: "https://api.alpaca.markets",
        }));
        assert.deepEqual(problemsOf("staging", live), [
            '- staging: trading-platform:trading.mode: expected "paper" (the staging stack may only trade in paper mode); found "live"',
        ]);
        const mixed = withSection(committedConfig("staging"), "trading", () => ({
            mode: "paper",
            brokerEndpoint: "https://api.alpaca.markets",
        }));
        assert.deepEqual(problemsOf("staging", mixed), [
            '- staging: trading-platform:trading.brokerEndpoint: expected an endpoint on a paper broker host (paper-api.alpaca.markets); found "https://api.alpaca.markets"',
        ]);
    });

    it("requires credentials to be secrets and never prints a plaintext one", () => {
        const config = committedConfig("staging");
        const others = config.secretKeys.filter(k => k !== "trading-platform:ghcrToken");
        const plaintext = { values: { ...config.values, "trading-platform:ghcrToken": "ghp_PLAINTEXT_SENTINEL_0001" }, secretKeys: others };
        const problems = problemsOf("staging", plaintext);
        assert.deepEqual(problems, [
            "- staging: trading-platform:ghcrToken: expected a secret (pulumi config set --secret ghcrToken ...); found a plaintext value",
        ]);
        assert.ok(!problems.join("\n").includes("SENTINEL"));
        const { values } = config;
        delete values["trading-platform:ghcrToken"];
        assert.match(
            problemsOf("staging", { values, secretKeys: others })[0],
            /ghcrToken: expected a secret .*; found nothing \(the key is not set\)/,
        );
    });

    it("keeps each environment inside its own namespace and Vault directory", () => {
        const config = withSection(committedConfig("staging"), "dockerHost", host => ({
            ...host,
            namespace: "synaptic-prod",
            vaultSecretsDir: "/srv/vault/rendered/synaptic-prod",
        }));
        assert.deepEqual(problemsOf("staging", config), [
            '- staging: trading-platform:dockerHost.namespace: expected a namespace ending in "-staging" for the staging stack; found "synaptic-prod"',
        ]);
        const crossed = withSection(committedConfig("staging"), "dockerHost", host => ({
            ...host,
            vaultSecretsDir: "/srv/vault/rendered/synaptic-prod",
        }));
        assert.match(
            problemsOf("staging", crossed)[0],
            /vaultSecretsDir: expected a directory named after the namespace \(…\/synaptic-staging\)/,
        );
    });

    it("checks references between keys: networks, reserved env, published ports", () => {
        const config = withSection(committedConfig("staging"), "dockerHost", host => {
            host.services["strategy-sim"].networks = ["backend", "dmz"];
            host.services["strategy-sim"].env.TRADING_MODE = "live";
            host.services["strategy-sim"].ports = [{ internal: 9000, external: 19000 }];
            return host;
        });
        assert.deepEqual(problemsOf("staging", config), [
            '- staging: trading-platform:dockerHost.services.strategy-sim.networks.1: expected a network declared under trading-platform:dockerHost.networks (backend, egress); found "dmz"',
            '- staging: trading-platform:dockerHost.services.strategy-sim.env.TRADING_MODE: expected no TRADING_MODE: the namespace sets it from trading-platform:trading; found "live"',
        ]);
    });

    it("reports every problem at once, including missing sections and unknown keys", () => {
        const config = withSection(
            withSection(committedConfig("staging"), "registry", () => undefined),
            "trading",
            t => ({ ...t, leverage: 4 }),
        );
        assert.deepEqual(problemsOf("staging", config), [
            '- staging: trading-platform:trading.leverage: expected one of the known keys (mode, brokerEndpoint); found the unknown key "leverage"',
            "- staging: trading-platform:registry: expected the registry section (see docs/config.md); found nothing (the key is not set)",
        ]);
    });

    it("refuses an unknown top-level key of the project, without echoing its value", () => {
        const config = committedConfig("staging");
        config.values["trading-platform:tradng"] = JSON.stringify({ mode: "live" });
        config.values["aws:region"] = "eu-west-1"; // a provider's namespace: not ours to judge
        const problems = problemsOf("staging", config);
        assert.equal(problems.length, 1);
        assert.match(
            problems[0],
            /^- staging: trading-platform:tradng: expected one of the known keys \(trading, registry, .*\); found an unknown key$/,
        );
    });

    it("refuses a trading-mode variable set by hand in a deployment's env, as the Docker host and GitHub do", () => {
        const config = withSection(committedConfig("staging"), "deployments", d => {
            const [name] = Object.keys(d.services);
            d.services[name].env.DRY_RUN = "false";
            return d;
        });
        const problems = problemsOf("staging", config);
        assert.equal(problems.length, 1);
        assert.match(
            problems[0],
            /deployments\.services\.[a-z-]+\.env\.DRY_RUN: expected no DRY_RUN: the deployment sets it from trading-platform:trading; found "false"/,
        );
        const host = withSection(committedConfig("staging"), "dockerHost", h => {
            h.services["strategy-sim"].env.DRY_RUN = "false";
            return h;
        });
        assert.match(problemsOf("staging", host)[0], /dockerHost\.services\.strategy-sim\.env\.DRY_RUN: expected no DRY_RUN/);
    });

    it("reads CIDR blocks as addresses: octets 0-255, prefixes 0-32, no host bits", () => {
        for (const [block, expected] of [
            [
                "300.40.0.0/16",
                /expected an IPv4 CIDR block such as 10\.40\.0\.0\/16 \(four numbers 0-255, then a prefix 0-32\); found "300\.40\.0\.0\/16"/,
            ],
            ["999.0.0.0/99", /expected an IPv4 CIDR block .*; found "999\.0\.0\.0\/99"/],
            ["10.40.0.0/33", /expected an IPv4 CIDR block .*; found "10\.40\.0\.0\/33"/],
            [
                "10.40.1.0/16",
                /expected a CIDR block whose address is its network address \(no host bits set\), e\.g\. 10\.40\.0\.0\/16; found "10\.40\.1\.0\/16"/,
            ],
        ] as const) {
            const config = withSection(committedConfig("staging"), "eks", e => ({ ...e, vpcCidr: block }));
            const problems = problemsOf("staging", config);
            assert.equal(problems.length, 1, problems.join("\n"));
            assert.match(problems[0], /^- staging: trading-platform:eks\.vpcCidr: /);
            assert.match(problems[0], expected);
        }
        const subnet = withSection(committedConfig("staging"), "dockerHost", h => {
            h.networks.backend.subnet = "300.1.1.0/24";
            return h;
        });
        assert.match(
            problemsOf("staging", subnet)[0],
            /^- staging: trading-platform:dockerHost\.networks\.backend\.subnet: expected an IPv4 CIDR block/,
        );
    });

    it("refuses a stack the program does not know", () => {
        assert.deepEqual(problemsOf("qa", committedConfig("staging")), [
            '- qa: (stack name): expected one of staging, production; found "qa"',
        ]);
    });

    describe("images, EKS and deployments", () => {
        it("staging must build; production never builds", () => {
            const noBuild = withSection(committedConfig("staging"), "images", images => ({ platforms: images.platforms }));
            const [first, ...followOn] = problemsOf("staging", noBuild);
            assert.equal(
                first,
                "- staging: trading-platform:images.build: expected a build section: staging builds and pushes the images it deploys; found nothing",
            );
            // With nothing built, each rolling service lacks an image: reported too, so one run shows it all.
            assert.equal(followOn.length, 4);
            assert.ok(
                followOn.every(p => /deployments\.services\.[a-z-]+\.image: expected an image/.test(p)),
                followOn.join("\n"),
            );
            const building = withSection(committedConfig("production"), "images", images => ({
                ...images,
                build: { sourceSha: "4c1f9e2", contextRoot: "../app" },
            }));
            const problems = problemsOf("production", building);
            assert.ok(
                problems.includes(
                    "- production: trading-platform:images.build: expected no build section: production deploys digests staging already ran; found a build section",
                ),
                problems.join("\n"),
            );
        });

        it("a typo in images.build.sourceSha is one problem, with no follow-on errors about the services' images", () => {
            const typo = withSection(committedConfig("staging"), "images", images => ({
                ...images,
                build: { ...images.build, sourceSha: "12345zz" },
            }));
            assert.deepEqual(problemsOf("staging", typo), [
                '- staging: trading-platform:images.build.sourceSha: expected a git commit SHA (7 to 40 lowercase hex digits); found "12345zz"',
            ]);
        });

        it("explains an unquoted Kubernetes version, an open API endpoint and an impossible node group", () => {
            const config = withSection(committedConfig("production"), "eks", eks => ({
                ...eks,
                version: 1.3,
                publicAccessCidrs: ["0.0.0.0/0"],
                nodeGroup: { ...eks.nodeGroup, minSize: 8 },
                availabilityZones: ["ap-south-1a", "eu-west-1b"],
            }));
            assert.deepEqual(problemsOf("production", config), [
                '- production: trading-platform:eks.version: expected a Kubernetes version as a quoted string, e.g. "1.31"; found 1.3',
            ]);
            const valid = withSection(committedConfig("production"), "eks", eks => ({
                ...eks,
                publicAccessCidrs: ["0.0.0.0/0"],
                nodeGroup: { ...eks.nodeGroup, minSize: 8 },
                availabilityZones: ["ap-south-1a", "eu-west-1b"],
                namespace: "trading-staging",
            }));
            assert.deepEqual(problemsOf("production", valid), [
                "- production: trading-platform:eks.nodeGroup: expected minSize <= desiredSize <= maxSize; found minSize 8, desiredSize 6, maxSize 12",
                '- production: trading-platform:eks.availabilityZones.1: expected a zone of ap-south-1; found "eu-west-1b"',
                '- production: trading-platform:eks.publicAccessCidrs.0: expected a CIDR limited to known networks (leave the list empty for a private endpoint); found "0.0.0.0/0"',
                '- production: trading-platform:eks.namespace: expected a namespace ending in "-prod" for the production stack; found "trading-staging"',
            ]);
        });

        it("names the service and the rule an impossible blue-green position breaks", () => {
            // eslint-disable-next-line @typescript-eslint/no-explicit-any
            const position = (change: (api: any) => void) =>
                withSection(committedConfig("production"), "deployments", d => {
                    change(d.services.api);
                    return d;
                });
            assert.deepEqual(
                problemsOf(
                    "production",
                    position(api => (api.blueGreen.weight = 10)),
                ),
                [
                    "- production: trading-platform:deployments.services.api.blueGreen: expected a possible position for api; found weight 10 is not one of the canary weights 0, 5, 25, 50, 100",
                ],
            );
            assert.deepEqual(
                problemsOf(
                    "production",
                    position(api => delete api.blueGreen.images.green),
                ),
                [
                    "- production: trading-platform:deployments.services.api.blueGreen: expected a possible position for api; found weight 5 sends traffic to green, which has no image",
                ],
            );
            assert.deepEqual(
                problemsOf(
                    "production",
                    position(api => (api.blueGreen.finalize = true)),
                ),
                [
                    "- production: trading-platform:deployments.services.api.blueGreen: expected a possible position for api; found finalize scales blue down while it still has 95% of traffic; finalize only at weight 100",
                ],
            );
            assert.deepEqual(
                problemsOf(
                    "production",
                    position(api => (api.minReady = 5)),
                ),
                [
                    "- production: trading-platform:deployments.services.api.minReady: expected fewer than replicas (5), so a node drain can evict a pod without breaking the budget; found 5",
                ],
            );
        });

        it("keeps production on digests from the organisation's registry", () => {
            const config = withSection(committedConfig("production"), "deployments", d => {
                d.services.worker.image = "ghcr.io/synaptic-platform/synaptictrading/worker:v1.3.2";
                d.services.api.blueGreen.images.green = "docker.io/someone/api@sha256:" + "e".repeat(64);
                return d;
            });
            assert.deepEqual(problemsOf("production", config), [
                '- production: trading-platform:deployments.services.api.blueGreen.images.green: expected an image under ghcr.io/synaptic-platform/synaptictrading/; found "docker.io/someone/api@sha256:' +
                    "e".repeat(64) +
                    '"',
                '- production: trading-platform:deployments.services.worker.image: expected an image pinned by digest (…@sha256:…): production deploys only what staging ran; found "ghcr.io/synaptic-platform/synaptictrading/worker:v1.3.2"',
            ]);
        });

        it("staging rolls: no blue-green, no second image source for a service it builds", () => {
            const config = withSection(committedConfig("staging"), "deployments", d => {
                d.services.api.strategy = "blueGreen";
                d.services.api.blueGreen = { activeColour: "blue", images: {}, weight: 0 };
                d.services.worker.image = "ghcr.io/synaptic-platform/synaptictrading/worker:v1.3.2";
                delete d.services.websocket.ingress;
                return d;
            });
            assert.deepEqual(problemsOf("staging", config), [
                '- staging: trading-platform:deployments.services.api.strategy: expected "rolling": staging rolls updates with no downtime; found "blueGreen"',
                "- staging: trading-platform:deployments.services.api.blueGreen: expected a possible position for api; found the active colour blue has no image",
                '- staging: trading-platform:deployments.services.worker.image: expected no image: this stack builds worker at images.build.sourceSha; found "ghcr.io/synaptic-platform/synaptictrading/worker:v1.3.2"',
            ]);
        });

        it("requires the push token only where the stack builds", () => {
            const config = committedConfig("staging");
            const values = { ...config.values };
            delete values["trading-platform:ghcrPushToken"];
            assert.deepEqual(problemsOf("staging", { values, secretKeys: config.secretKeys }), [
                "- staging: trading-platform:ghcrPushToken: expected a secret (pulumi config set --secret ghcrPushToken ...); found nothing (the key is not set)",
            ]);
            assert.ok(!("trading-platform:ghcrPushToken" in committedConfig("production").values));
        });
    });

    describe("github", () => {
        it("gives each stack its own environment and the repository rules to production alone", () => {
            const staging = withSection(committedConfig("staging"), "github", g => ({
                ...g,
                environment: { ...g.environment, name: "production" },
                releaseTags: { pattern: "v*", managersTeam: "release-managers" },
            }));
            assert.deepEqual(problemsOf("staging", staging), [
                '- staging: trading-platform:github.environment.name: expected "staging": each stack owns the GitHub environment named after it; found "production"',
                "- staging: trading-platform:github.releaseTags: expected no releaseTags: the production stack owns repository rules; found a releaseTags section",
            ]);
            const production = withSection(committedConfig("production"), "github", g => ({ ...g, branchProtection: undefined }));
            assert.deepEqual(problemsOf("production", production), [
                "- production: trading-platform:github.branchProtection: expected the branchProtection section: the production stack owns repository rules; found nothing",
            ]);
        });

        it("reads every environment secret from a secret config key", () => {
            const config = withSection(committedConfig("staging"), "github", g => {
                g.environment.secrets.PAPER_WEBHOOK_TOKEN = "paperWebhookToken";
                return g;
            });
            config.values["trading-platform:paperWebhookToken"] = "whk_plaintext_SENTINEL";
            const problems = problemsOf("staging", config);
            assert.deepEqual(problems, [
                "- staging: trading-platform:paperWebhookToken: expected a secret (pulumi config set --secret paperWebhookToken ...) for the GitHub environment secret PAPER_WEBHOOK_TOKEN; found a plaintext value",
            ]);
            assert.ok(!problems.join("").includes("SENTINEL"));
        });

        it("keeps the trading-mode variables derived from the trading section", () => {
            const config = withSection(committedConfig("staging"), "github", g => {
                g.environment.variables = { DRY_RUN: "false" };
                return g;
            });
            assert.deepEqual(problemsOf("staging", config), [
                '- staging: trading-platform:github.environment.variables.DRY_RUN: expected no DRY_RUN: it is set from trading-platform:trading; found "false"',
            ]);
        });
    });

    it("registers no resource when the config is invalid", async () => {
        const config = withSection(committedConfig("staging"), "dockerHost", host => ({ ...host, host: "docker.internal" }));
        const run = await runProgram({
            project: project.name,
            stack: "staging",
            program: { entry: project.entry },
            config: config.values,
            secretKeys: config.secretKeys,
        });
        assert.ok(run.error && StackConfigError.isInstance(run.error));
        assert.match(run.error.message, /^Invalid configuration for stack "staging" \(1 problem\); no resource was registered:/);
        assert.deepEqual(run.resources, []);
    });

    it("converts sizes with units to MiB", () => {
        assert.equal(sizeToMiB("512m"), 512);
        assert.equal(sizeToMiB("2g"), 2048);
        assert.equal(sizeToMiB("1536k"), 2);
    });
});

describe("stack config: a password inside a URL in plain config", () => {
    const sentinel = "Sentinel-Pw-7Q2x9K";
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const cases: { stack: "staging" | "production"; section: string; key: string; edit: (section: any) => unknown }[] = [
        {
            stack: "staging",
            section: "dockerHost",
            key: "dockerHost.loki.url",
            edit: s => ({ ...s, loki: { ...s.loki, url: `https://loki:${sentinel}@loki.platform.internal/loki/api/v1/push` } }),
        },
        {
            stack: "staging",
            section: "dockerHost",
            key: "dockerHost.host",
            edit: s => ({ ...s, host: `ssh://deploy:${sentinel}@bom-shared-docker-01` }),
        },
        {
            stack: "staging",
            section: "dockerHost",
            key: "dockerHost.sshOpts.1",
            edit: s => ({ ...s, sshOpts: ["-o", `ProxyJump=ssh://jump:${sentinel}@bastion.internal`] }),
        },
        {
            stack: "staging",
            section: "addons",
            key: "addons.vaultInjector.externalVaultAddr",
            edit: s => ({
                ...s,
                vaultInjector: { ...s.vaultInjector, externalVaultAddr: `https://agent:${sentinel}@vault.platform.internal:8200` },
            }),
        },
        {
            stack: "production",
            section: "promotion",
            key: "promotion.prometheusUrl",
            edit: s => ({ ...s, prometheusUrl: `http://reader:${sentinel}@prometheus-operated.monitoring:9090` }),
        },
        {
            stack: "production",
            section: "promotion",
            key: "promotion.notifications.grafana.url",
            edit: s => ({
                ...s,
                notifications: { ...s.notifications, grafana: { url: `https://admin:${sentinel}@grafana.platform.internal` } },
            }),
        },
    ];
    for (const { stack, section, key, edit } of cases) {
        it(`${key}: a config error naming the key, which never echoes the password`, () => {
            const problems = problemsOf(stack, withSection(committedConfig(stack), section, edit));
            assert.ok(
                problems.some(p => p.startsWith(`- ${stack}: trading-platform:${key}: expected a URL without a password`)),
                problems.join("\n"),
            );
            for (const problem of problems) assert.ok(!problem.includes(sentinel), `echoed: ${problem}`);
            // The program registers nothing either.
            assert.throws(
                () => validateStackConfig(rawConfig(stack, withSection(committedConfig(stack), section, edit))),
                (e: Error) => StackConfigError.isInstance(e) && !e.message.includes(sentinel),
            );
        });
    }
});

describe("stack config: a Slack webhook URL in plain config", () => {
    // Made up, in the shape Slack documents: a team, a bot and a 24-character secret.
    const webhook = "https://hooks.slack.com/services/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";
    const secretPart = "q7Rz2Lm9Xc4Vb8Nw1Ks6Tj3H";
    type Stack = "staging" | "production";
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each case reaches into its own section's shape
    const cases: { stack: Stack; section: string; key: string; edit: (section: any) => unknown }[] = [
        {
            stack: "staging",
            section: "dockerHost",
            key: "dockerHost.services.rest-adapter.env.ALERTS",
            edit: s => ({
                ...s,
                services: {
                    ...s.services,
                    "rest-adapter": { ...s.services["rest-adapter"], env: { ...s.services["rest-adapter"].env, ALERTS: webhook } },
                },
            }),
        },
        {
            stack: "production",
            section: "deployments",
            key: "deployments.services.api.env.NOTIFY",
            edit: s => ({ ...s, services: { ...s.services, api: { ...s.services.api, env: { ...s.services.api.env, NOTIFY: webhook } } } }),
        },
        {
            stack: "production",
            section: "github",
            key: "github.environment.variables.SLACK",
            edit: s => ({ ...s, environment: { ...s.environment, variables: { SLACK: webhook } } }),
        },
        // Also the value of a key a rule quotes when it refuses it (AWS_REGION comes from trading-platform:ci).
        {
            stack: "production",
            section: "github",
            key: "github.environment.variables.AWS_REGION",
            edit: s => ({ ...s, environment: { ...s.environment, variables: { AWS_REGION: webhook } } }),
        },
        {
            stack: "production",
            section: "promotion",
            key: "promotion.notifications.grafana.url",
            edit: s => ({ ...s, notifications: { ...s.notifications, grafana: { url: webhook } } }),
        },
        // Where a schema refuses the value too, its "found" never shows it.
        {
            stack: "production",
            section: "promotion",
            key: "promotion.notifications.slack.channel",
            edit: s => ({ ...s, notifications: { ...s.notifications, slack: { channel: webhook } } }),
        },
        {
            stack: "staging",
            section: "dockerHost",
            key: "dockerHost.loki.url",
            edit: s => ({ ...s, loki: { ...s.loki, url: webhook.replace("https://", "") } }),
        },
        {
            stack: "staging",
            section: "addons",
            key: "addons.vaultInjector.externalVaultAddr",
            edit: s => ({ ...s, vaultInjector: { ...s.vaultInjector, externalVaultAddr: webhook.replace("/services/", "/workflows/") } }),
        },
    ];
    for (const { stack, section, key, edit } of cases) {
        it(`${key}: a config error naming the key, which never echoes the webhook`, () => {
            const config = withSection(committedConfig(stack), section, edit);
            const problems = problemsOf(stack, config);
            assert.ok(
                problems.some(
                    p =>
                        p.startsWith(`- ${stack}: trading-platform:${key}: expected no credential in plain config`) &&
                        p.endsWith("found a value shaped like a Slack incoming webhook URL (not shown)"),
                ),
                problems.join("\n"),
            );
            for (const problem of problems) assert.ok(!problem.includes(secretPart), `echoed: ${problem}`);
            assert.throws(
                () => validateStackConfig(rawConfig(stack, config)),
                (e: Error) => StackConfigError.isInstance(e) && !e.message.includes(secretPart),
            );
        });
    }

    it("accepts Slack's documented placeholder and a channel name: only a real-looking webhook is a credential", () => {
        const config = withSection(committedConfig("production"), "deployments", s => ({
            ...s,
            services: {
                ...s.services,
                api: {
                    ...s.services.api,
                    env: {
                        ...s.services.api.env,
                        DOCS: "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
                        CHANNEL: "#trading-deploys",
                    },
                },
            },
        }));
        assert.equal(validateStackConfig(rawConfig("production", config)).stack, "production");
    });

    it("takes the webhook as a Pulumi secret of any key name: never a problem there", () => {
        const config = committedConfig("production");
        const values = { ...config.values, "trading-platform:slackWebhookUrl": "v1:opaque-ciphertext" };
        const problems = (() => {
            try {
                validateStackConfig({
                    ...rawConfig("production", config),
                    values,
                    secretKeys: new Set([...config.secretKeys, "trading-platform:slackWebhookUrl"]),
                });
                return [];
            } catch (e) {
                return (e as StackConfigError).problems;
            }
        })();
        // An unknown key still, but only as a name: the value (a secret) is never read.
        assert.deepEqual(
            problems.map(p => [p.key, p.found]),
            [["trading-platform:slackWebhookUrl", "an unknown key"]],
        );
    });
});
