// The blue-green promotion rules, as pure functions: config validation, the component and the tests
// all read the same ones. A step is the share of traffic the candidate colour takes.

import { CANARY_STEPS, Colour, COLOURS, otherColour } from "../../platform/rollout";

export { CANARY_STEPS, CanaryStep, Colour, COLOURS, otherColour } from "../../platform/rollout";

export interface BlueGreenState {
    /** The colour serving before this release; the other one is the candidate. */
    activeColour: Colour;
    images: Partial<Record<Colour, string>>;
    /** Percent of traffic on the candidate. */
    step: number;
    /** After cutover (step 100): scale the old colour down to one replica. */
    finalize: boolean;
    /** Replicas of a colour that serves. */
    replicas: number;
    /** Ready replicas a colour with traffic may never go below (its PodDisruptionBudget). */
    minReady: number;
}

export interface ColourPlan {
    colour: Colour;
    image: string;
    /** Percent of traffic routed to this colour. */
    weight: number;
    replicas: number;
    /** Disruption budget: a colour with traffic keeps minReady; an idle one may lose a pod. */
    disruptionBudget: { minAvailable: number } | { maxUnavailable: number };
}

/** One broken rule: the field of the state that breaks it, and the rule in words an operator can act on. */
export interface RolloutProblem {
    field: keyof BlueGreenState;
    problem: string;
}

/** Every rule the state breaks. Empty when the step is possible. */
export function rolloutProblems(state: BlueGreenState): RolloutProblem[] {
    const problems: RolloutProblem[] = [];
    const candidate = otherColour(state.activeColour);
    if (!(CANARY_STEPS as readonly number[]).includes(state.step)) {
        problems.push({ field: "step", problem: `step ${state.step} is not in the canary sequence ${CANARY_STEPS.join(", ")}` });
    }
    if (!state.images[state.activeColour]) {
        problems.push({ field: "images", problem: `the active colour ${state.activeColour} has no image` });
    }
    if ((state.step > 0 || state.finalize) && !state.images[candidate]) {
        problems.push({ field: "images", problem: `step ${state.step} sends traffic to ${candidate}, which has no image` });
    }
    if (state.finalize && state.step !== 100) {
        problems.push({ field: "finalize", problem: `finalize scales ${state.activeColour} down while it still has ${100 - state.step}% of traffic; finalize only at step 100` });
    }
    if (state.minReady >= state.replicas) {
        problems.push({
            field: "replicas",
            problem: `replicas (${state.replicas}) must exceed minReady (${state.minReady}) so a node drain can evict a pod without breaking the budget`,
        });
    }
    return problems;
}

/** The colours to declare for a valid state: weights, replicas and budgets. Throws on an invalid one. */
export function planColours(state: BlueGreenState): ColourPlan[] {
    const problems = rolloutProblems(state);
    if (problems.length > 0) {
        throw new Error(`impossible blue-green step: ${problems.map(p => p.problem).join("; ")}`);
    }
    const candidate = otherColour(state.activeColour);
    const weights: Record<Colour, number> = { [state.activeColour]: 100 - state.step, [candidate]: state.step } as Record<Colour, number>;
    return COLOURS.filter(colour => state.images[colour]).map(colour => {
        const weight = weights[colour];
        // The candidate runs at full size from step 0 (smoke tests before traffic); the old colour keeps
        // full size until finalize, so a rollback is a weight change, never a cold start.
        const replicas = state.finalize && colour === state.activeColour ? 1 : state.replicas;
        return {
            colour,
            image: state.images[colour] as string,
            weight,
            replicas,
            disruptionBudget: weight > 0 ? { minAvailable: state.minReady } : { maxUnavailable: 1 },
        };
    });
}
