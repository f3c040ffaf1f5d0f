// Where the stack's blue-green services stand, as both stack drivers read it: from the deployments
// config (the rehearsal's stack file, or a live stack without the promotionState output) and narrowed
// to the services a run moves.
import { BlueGreenPosition } from "../../platform";
import { blueGreenPositions, deploymentsSchema } from "../../stacks/config/deployments";
import { UsageError } from "../cli/errors";
import { ServicePosition } from "./types";

/** The blue-green positions a deployments config value declares; an invalid one is a usage error pointing at the plan. */
export function positionsFromDeployments(stack: string, key: string, value: unknown): Record<string, BlueGreenPosition> {
    const parsed = deploymentsSchema.safeParse(value);
    if (!parsed.success) throw new UsageError(`${stack}: ${key} is not a valid deployments section; run npm run plan -- --stack ${stack} for the details`);
    return blueGreenPositions(parsed.data);
}

/** The services a run moves: those named, or every blue-green one; a named service that is not blue-green is a usage error. */
export function selectServices(stack: string, positions: Record<string, BlueGreenPosition>, services: string[]): ServicePosition[] {
    const unknown = services.filter(s => !Object.hasOwn(positions, s));
    if (unknown.length) {
        throw new UsageError(
            `--services: ${unknown.join(", ")} ${unknown.length === 1 ? "is" : "are"} not a blue-green service of ${stack} (blue-green there: ${Object.keys(positions).join(", ") || "none"})`,
        );
    }
    const chosen = services.length ? services : Object.keys(positions);
    return chosen.map(service => ({ service, ...positions[service] }));
}
