import { strict as assert } from "assert";
import { promotionSettings } from "../../../stacks/config/promotion";
import {
    CheckReading,
    decideTick,
    judgeGates,
    judgeTick,
    judgeTraffic,
    nextMove,
    plannedPositions,
    rollbackUpdates,
    runStepIndex,
    standsTogether,
    stepIndexOf,
    TickVerdict,
    unreachableProblem,
} from "../../../tools/promote/judge";
import { ServicePosition } from "../../../tools/promote/types";
import { fix, http } from "../../support/positions";

// The pure judges: values in, verdicts out. No clock, no driver, no Prometheus.
const settings = promotionSettings(undefined);
const reading = (name: string, limit: number, ...values: (number | [Record<string, string>, number])[]): CheckReading => ({
    name,
    limit,
    samples: values.map(v => (Array.isArray(v) ? { labels: v[0], value: v[1] } : { labels: {}, value: v })),
});
const moves = (services: ServicePosition[]) => {
    const out: string[] = [];
    let current = services;
    for (let i = 0; i < 10; i++) {
        const move = nextMove(current, settings);
        if (move.kind === "done") break;
        out.push(
            `${move.kind === "step" ? settings.steps[move.stepIndex].weight : "finalize"}: ${move.updates.map(u => `${u.service}=${u.weight}${u.finalize ? "F" : ""}`).join(",")}`,
        );
        current = current.map(s => ({ ...s, ...move.updates.find(u => u.service === s.service) }));
    }
    return out;
};

describe("promotion judges", () => {
    describe("where a run stands and its next move", () => {
        it("reads each service's step index: -1 staged, a FIX service at 0 follows, finalized is the last step", () => {
            assert.deepEqual(
                [http("api"), http("api", 25), http("api", 100, true), fix("fix-gateway"), fix("fix-gateway", 100)].map(s =>
                    stepIndexOf(s, settings),
                ),
                [-1, 1, 3, "follows", 3],
            );
            assert.equal(runStepIndex([http("api", 50), fix("fix-gateway")], settings), 2);
            assert.equal(
                runStepIndex([http("api", 100), fix("fix-gateway")], settings),
                2,
                "a FIX service at 0 still has its cutover to make",
            );
        });

        it("brings services behind up step by step while those ahead hold, then moves them together (the committed stack: api 5 %, websocket 0 %)", () => {
            assert.deepEqual(moves([http("api", 5), http("websocket", 0)]), [
                "5: websocket=5",
                "25: api=25,websocket=25",
                "50: api=50,websocket=50",
                "100: api=100,websocket=100",
                "finalize: api=100F,websocket=100F",
            ]);
            assert.deepEqual(moves([http("api", 50), http("websocket", 0)]), [
                "5: websocket=5",
                "25: websocket=25",
                "50: websocket=50",
                "100: api=100,websocket=100",
                "finalize: api=100F,websocket=100F",
            ]);
            assert.deepEqual(moves([http("api", 100, true), http("websocket", 25)]), [
                "50: websocket=50",
                "100: websocket=100",
                "finalize: websocket=100F",
            ]);
        });

        it("keeps a FIX gateway at 0 until the step of 100, and cuts a FIX-only run over in one move", () => {
            assert.deepEqual(moves([http("api"), fix("fix-gateway")]), [
                "5: api=5",
                "25: api=25",
                "50: api=50",
                "100: api=100,fix-gateway=100",
                "finalize: api=100F,fix-gateway=100F",
            ]);
            assert.deepEqual(moves([fix("fix-gateway")]), ["100: fix-gateway=100", "finalize: fix-gateway=100F"]);
            assert.deepEqual(moves([http("api", 100), fix("fix-gateway")]), [
                "100: fix-gateway=100",
                "finalize: api=100F,fix-gateway=100F",
            ]);
        });

        it("watches again first only when every service stands at the same step with traffic", () => {
            assert.equal(standsTogether([http("api", 25), http("websocket", 25)], settings), true);
            assert.equal(standsTogether([http("api", 5), http("websocket", 0)], settings), false);
            assert.equal(standsTogether([http("api"), http("websocket")], settings), false);
            assert.equal(standsTogether([http("api", 100), fix("fix-gateway")], settings), false);
        });

        it("refuses a weight no step sequence reaches in one line saying exactly what to run", () => {
            const steps = { ...settings, steps: [25, 100].map(weight => ({ weight, watch: "5m", watchMs: 300_000 })) };
            assert.equal(
                unreachableProblem([http("api", 5), http("websocket", 25)], steps),
                'api is at weight 5 %, which promotion.steps (25, 100 %) never reaches: take it back to 0 first with npm run promote -- --stack production --rollback --services api --reason "off the promotion\'s steps", then promote again',
            );
            assert.equal(unreachableProblem([http("api", 5)], settings), undefined);
            assert.throws(
                () => stepIndexOf(fix("fix-gateway", 50), settings),
                /fix-gateway is at weight 50 %.*--rollback --services fix-gateway/,
            );
        });

        it("plans every position a run may take: each move, then the withdrawal, and after finalize the old colour's size first", () => {
            const planned = plannedPositions([http("api", 5), http("websocket", 0)], settings);
            assert.deepEqual(
                planned.map(p => `${p.label}: ${p.services.map(s => `${s.weight}${s.finalize ? "F" : ""}`).join(",")}`),
                [
                    "now: 5,0",
                    "step 5 %: 5,5",
                    "step 25 %: 25,25",
                    "step 50 %: 50,50",
                    "step 100 %: 100,100",
                    "finalize: 100F,100F",
                    "rollback: old colour's size restored: 100,100",
                    "withdrawal and rollback: every candidate at 0 %: 0,0",
                ],
            );
            assert.deepEqual(rollbackUpdates([http("api", 50), http("websocket", 0)]), [[{ service: "api", weight: 0, finalize: false }]]);
            assert.deepEqual(rollbackUpdates([http("api", 100, true)]), [
                [{ service: "api", weight: 100, finalize: false }],
                [{ service: "api", weight: 0, finalize: false }],
            ]);
            assert.deepEqual(rollbackUpdates([http("api")]), [], "nothing carries traffic: nothing to give back");
        });
    });

    describe("a watch tick", () => {
        const healthy = [reading("trigger:errorRate", 0.05, 0.001), reading("trigger:podRestarts", 3, 0)];

        it("fires a trigger when ANY series is above its limit, naming the series", () => {
            const perPod = reading("trigger:podRestarts", 3, [{ pod: "api-green-1" }, 0], [{ pod: "api-green-2" }, 7]);
            const verdict = judgeTick([{ service: "api", readings: [healthy[0], perPod] }], [], 2);
            assert.deepEqual(verdict, { kind: "breach", reasons: ['api trigger:podRestarts 7 > 3 on {pod="api-green-2"}'] });
        });

        it("takes +Inf above a limit as above; NaN and an empty result stay no data", () => {
            assert.equal(judgeTick([{ service: "api", readings: [reading("trigger:errorRate", 0.05, Infinity)] }], [], 2).kind, "breach");
            const nan = judgeTick([{ service: "api", readings: [reading("trigger:errorRate", 0.05, NaN)] }], [], 2);
            assert.equal(nan.kind, "noEvidence");
            assert.match((nan as { reasons: string[] }).reasons[0], /api trigger:errorRate no data \(NaN/);
            const empty = judgeTick(
                [{ service: "api", readings: [{ ...reading("trigger:errorRate", 0.05), error: "the query returned no series" }] }],
                [],
                2,
            );
            assert.deepEqual((empty as { reasons: string[] }).reasons, ["api trigger:errorRate no data (the query returned no series)"]);
        });

        it("is no evidence until the candidate's observed share of client requests matches its weight", () => {
            const share = (value: number) => ({ service: "api", expected: 25, reading: reading("traffic:share", 2, value) });
            assert.deepEqual(judgeTraffic(share(24.1), 2), {
                verified: true,
                reason: "api takes 24.1 % of client requests at a weight of 25 % (tolerance 2 points)",
            });
            assert.equal(judgeTraffic(share(5), 2).verified, false);
            const lagging = judgeTick([{ service: "api", readings: healthy }], [share(5)], 2);
            assert.deepEqual(lagging, {
                kind: "noEvidence",
                reasons: ["api takes 5 % of client requests against a weight of 25 % (tolerance 2 points)"],
                verified: [],
            });
            assert.deepEqual(judgeTick([{ service: "api", readings: healthy }], [share(25)], 2), { kind: "evidence", verified: ["api"] });
            // A breach wins over anything the traffic says.
            assert.equal(
                judgeTick([{ service: "api", readings: [reading("trigger:errorRate", 0.05, 0.5)] }], [share(5)], 2).kind,
                "breach",
            );
        });

        const decide = (
            verdict: TickVerdict,
            state = { noEvidenceInARow: 0, watchedMs: 0 },
            extra: Partial<Parameters<typeof decideTick>[2]> = {},
        ) => decideTick(verdict, state, { limit: 3, intervalMs: 30_000, watchMs: 60_000, counts: true, weightText: "25 %", ...extra });

        it("rolls back on a trigger also after the window closed, and stops watching when it closes", () => {
            assert.deepEqual(
                decide({ kind: "breach", reasons: ["api trigger:errorRate 0.5 > 0.05"] }, undefined, {
                    windowClosed: "14:00 is outside 10:00–14:00",
                }),
                {
                    action: "rollback",
                    reason: "at 25 %: api trigger:errorRate 0.5 > 0.05",
                },
            );
            assert.equal(
                decide({ kind: "evidence", verified: [] }, undefined, { windowClosed: "14:00 is outside 10:00–14:00" }).action,
                "cannotAdvance",
            );
        });

        it("gives up after more ticks without evidence in a row than the limit (Argo's consecutiveErrorLimit)", () => {
            const none: TickVerdict = {
                kind: "noEvidence",
                reasons: ["api trigger:errorRate no data (Prometheus unreachable)"],
                verified: [],
            };
            assert.deepEqual(decide(none, { noEvidenceInARow: 2, watchedMs: 30_000 }), {
                action: "continue",
                noEvidenceInARow: 3,
                watchedMs: 30_000,
            });
            const over = decide(none, { noEvidenceInARow: 3, watchedMs: 30_000 });
            assert.equal(over.action, "cannotAdvance");
            assert.match(
                (over as { reason: string }).reason,
                /^no evidence for 4 ticks in a row at 25 % \(limit 3\): api trigger:errorRate no data/,
            );
        });

        it("counts a tick with evidence toward the watch only once the traffic was verified before it", () => {
            assert.deepEqual(decide({ kind: "evidence", verified: ["api"] }, { noEvidenceInARow: 2, watchedMs: 0 }, { counts: false }), {
                action: "continue",
                noEvidenceInARow: 0,
                watchedMs: 0,
            });
            assert.deepEqual(decide({ kind: "evidence", verified: [] }, { noEvidenceInARow: 0, watchedMs: 30_000 }), { action: "watched" });
        });
    });

    describe("the gates over a watch", () => {
        it("pass only when every series of every gate is below its limit and the candidate is no worse than the active colour by more than the margin", () => {
            const gates = [reading("gate:errorRate", 0.001, 0.0002)];
            const comparisons = [
                { candidate: reading("comparison:latencyP95Seconds", 0.05, 0.3), active: reading("active:latencyP95Seconds", 0.05, 0.28) },
            ];
            assert.deepEqual(judgeGates([{ service: "api", gates, comparisons }]), { kind: "pass" });
            assert.deepEqual(
                judgeGates([{ service: "api", gates: [reading("gate:errorRate", 0.001, 0.0002, Infinity)], comparisons: [] }]),
                {
                    kind: "fail",
                    reasons: ["api gate:errorRate Infinity not below 0.001"],
                },
            );
            assert.deepEqual(
                judgeGates([
                    {
                        service: "api",
                        gates,
                        comparisons: [{ ...comparisons[0], candidate: reading("comparison:latencyP95Seconds", 0.05, 0.4) }],
                    },
                ]),
                {
                    kind: "fail",
                    reasons: ["api comparison:latencyP95Seconds 0.4 exceeds the active colour's 0.28 by more than 0.05"],
                },
            );
        });

        it("never pass on no data", () => {
            const verdict = judgeGates([{ service: "api", gates: [reading("gate:errorRate", 0.001, NaN)], comparisons: [] }]);
            assert.equal(verdict.kind, "noData");
        });
    });
});
