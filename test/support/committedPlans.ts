import { PlanResult, planStack } from "../../tools/plan/planStack";

const plans = new Map<string, Promise<PlanResult>>();

/** The offline plan of a committed stack file, planned once per test run and shared by the tests that read it. */
export function committedPlan(stack: "staging" | "production"): Promise<PlanResult> {
    let plan = plans.get(stack);
    if (!plan) {
        plan = planStack({ stack });
        plans.set(stack, plan);
    }
    return plan;
}
