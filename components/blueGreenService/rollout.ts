// The blue-green promotion rules, as pure functions: config validation, the component and the tests
// all read the same ones. The weight is the share of traffic the candidate colour takes.

import { BlueGreenPosition, CANARY_WEIGHTS, Colour, COLOURS, otherColour } from "../../platform/rollout";

export { CANARY_WEIGHTS, CanaryWeight, Colour, COLOURS, otherColour } from "../../platform/rollout";

/** A position (without the protocol, which the component takes from its exposure) and what it runs. */
export interface BlueGreenState extends Omit<BlueGreenPosition, "protocol"> {
    images: Partial<Record<Colour, string>>;
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

/** Every rule the state breaks. Empty when the position is possible. */
export function rolloutProblems(state: BlueGreenState): RolloutProblem[] {
    const problems: RolloutProblem[] = [];
    const candidate = otherColour(state.activeColour);
    if (!(CANARY_WEIGHTS as readonly number[]).includes(state.weight)) {
        problems.push({ field: "weight", problem: `weight ${state.weight} is not one of the canary weights ${CANARY_WEIGHTS.join(", ")}` });
    }
    if (!state.images[state.activeColour]) {
        problems.push({ field: "images", problem: `the active colour ${state.activeColour} has no image` });
    }
    if ((state.weight > 0 || state.finalize) && !state.images[candidate]) {
        problems.push({ field: "images", problem: `weight ${state.weight} sends traffic to ${candidate}, which has no image` });
    }
    if (state.finalize && state.weight !== 100) {
        problems.push({
            field: "finalize",
            problem: `finalize scales ${state.activeColour} down while it still has ${100 - state.weight}% of traffic; finalize only at weight 100`,
        });
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
        throw new Error(`impossible blue-green position: ${problems.map(p => p.problem).join("; ")}`);
    }
    const candidate = otherColour(state.activeColour);
    const weights: Record<Colour, number> = { [state.activeColour]: 100 - state.weight, [candidate]: state.weight } as Record<
        Colour,
        number
    >;
    return COLOURS.filter(colour => state.images[colour]).map(colour => {
        const weight = weights[colour];
        // The candidate runs at full size from weight 0 (smoke tests before traffic); the old colour keeps
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
