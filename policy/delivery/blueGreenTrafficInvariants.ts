import * as k8s from "@pulumi/kubernetes";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";

import { albActionOf, CANARY_WEIGHTS, rolloutAnnotations } from "../platform";
import { withMetadata } from "../lib/metadata";

// Read back from what BlueGreenService declares.
const { service: SERVICE, colour: COLOUR, weight: WEIGHT, minReady: MIN_READY } = rolloutAnnotations;

interface Meta {
    name?: string;
    namespace?: string;
    annotations?: Record<string, string>;
}
interface Colour {
    resource: PolicyResource;
    name: string;
    colour: string;
    weight: number;
    minReady: number;
    replicas: number;
}
interface ForwardAction {
    type?: string;
    forwardConfig?: { targetGroups?: { serviceName?: string; weight?: number }[] };
}

const metaOf = (r: PolicyResource) => ((r.props as { metadata?: Meta }).metadata ?? {}) as Meta;
const keyOf = (r: PolicyResource) => metaOf(r).namespace ?? "";

export const blueGreenTrafficInvariants: StackValidationPolicy = {
    name: "blue-green-traffic-invariants",
    description:
        "Every blue-green service's traffic adds up to 100 %, every colour with traffic has at least its minimum ready replicas and a disruption budget, and the load balancer's weights match the colours.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "high", topics: ["traffic", "availability", "kubernetes"] }),
    validateStack: (args, reportViolation) => {
        const ofType = (cls: unknown) => args.resources.filter(r => r.isType(cls as never));
        const deployments = ofType(k8s.apps.v1.Deployment);
        const budgets = ofType(k8s.policy.v1.PodDisruptionBudget);
        const services = ofType(k8s.core.v1.Service);

        // Colours by "<namespace>/<service>"; rolling deployments have no colours to balance.
        const groups = new Map<string, Colour[]>();
        for (const d of deployments) {
            const annotations = metaOf(d).annotations ?? {};
            const service = annotations[SERVICE];
            const colour = annotations[COLOUR];
            if (!service || !colour || colour === "rolling") continue;
            const key = `${keyOf(d)}/${service}`;
            const spec = (d.props as { spec?: { replicas?: number } }).spec;
            groups.set(key, [
                ...(groups.get(key) ?? []),
                {
                    resource: d,
                    name: metaOf(d).name ?? d.name,
                    colour,
                    weight: Number(annotations[WEIGHT]),
                    minReady: Number(annotations[MIN_READY] ?? 0),
                    replicas: spec?.replicas ?? 1,
                },
            ]);
        }

        for (const [key, colours] of groups) {
            const total = colours.reduce((sum, c) => sum + c.weight, 0);
            if (colours.some(c => !Number.isFinite(c.weight)) || total !== 100) {
                reportViolation(
                    `Service ${key}: traffic weights ${colours.map(c => `${c.colour} ${c.weight}`).join(" + ")} add up to ${total}, not 100. ` +
                        `Fix: set deployments.services.<name>.blueGreen.weight to one of ${CANARY_WEIGHTS.join(", ")} and let the component derive both colours' weights.`,
                    colours[0].resource.urn,
                );
            }
            for (const c of colours.filter(c => c.weight > 0)) {
                if (c.replicas < c.minReady) {
                    reportViolation(
                        `Service ${key}: colour ${c.colour} takes ${c.weight}% of traffic with ${c.replicas} replica(s), below its minimum of ${c.minReady} ready. ` +
                            "Fix: finalize only at weight 100, and keep replicas above minReady for every colour with traffic.",
                        c.resource.urn,
                    );
                }
                const budget = budgets.find(b => keyOf(b) === keyOf(c.resource) && metaOf(b).name === c.name);
                const minAvailable = (budget?.props as { spec?: { minAvailable?: number | string } } | undefined)?.spec?.minAvailable;
                if (!budget || typeof minAvailable !== "number" || minAvailable < c.minReady) {
                    reportViolation(
                        `Service ${key}: colour ${c.colour} takes traffic but ${budget ? `its PodDisruptionBudget keeps ${String(minAvailable ?? "no minimum")} available` : "has no PodDisruptionBudget"}. ` +
                            `Fix: guard it with a PodDisruptionBudget "${c.name}" with minAvailable ${c.minReady}.`,
                        c.resource.urn,
                    );
                }
            }
        }

        // The ALB's forward actions must split exactly as the colours say.
        for (const ingress of ofType(k8s.networking.v1.Ingress)) {
            for (const [annotation, text] of Object.entries(metaOf(ingress).annotations ?? {})) {
                if (albActionOf(annotation) === undefined) continue;
                let action: ForwardAction;
                try {
                    action = JSON.parse(text) as ForwardAction;
                } catch {
                    reportViolation(
                        `Ingress ${keyOf(ingress)}/${metaOf(ingress).name}: ${annotation} is not valid JSON. Fix: let the BlueGreenService component write the action.`,
                        ingress.urn,
                    );
                    continue;
                }
                const targets = action.forwardConfig?.targetGroups ?? [];
                if (action.type !== "forward" || targets.length === 0) continue;
                const total = targets.reduce((sum, t) => sum + (t.weight ?? 0), 0);
                if (total !== 100) {
                    reportViolation(
                        `Ingress ${keyOf(ingress)}/${metaOf(ingress).name}: ${annotation} splits ${targets.map(t => `${t.serviceName} ${t.weight}`).join(" + ")} = ${total}, not 100. Fix: derive the weights from the service's blueGreen.weight.`,
                        ingress.urn,
                    );
                }
                for (const target of targets) {
                    const service = services.find(s => keyOf(s) === keyOf(ingress) && metaOf(s).name === target.serviceName);
                    const deployment = deployments.find(d => keyOf(d) === keyOf(ingress) && metaOf(d).name === target.serviceName);
                    if (!service) {
                        reportViolation(
                            `Ingress ${keyOf(ingress)}/${metaOf(ingress).name}: forwards to Service "${target.serviceName}", which this stack does not declare. Fix: forward only to the colours' Services.`,
                            ingress.urn,
                        );
                        continue;
                    }
                    const declared = deployment ? Number(metaOf(deployment).annotations?.[WEIGHT]) : undefined;
                    if (declared !== undefined && declared !== (target.weight ?? 0)) {
                        reportViolation(
                            `Ingress ${keyOf(ingress)}/${metaOf(ingress).name}: sends ${target.weight}% to ${target.serviceName}, whose Deployment is sized for ${declared}%. Fix: declare weights and replicas from the same blueGreen position.`,
                            ingress.urn,
                        );
                    }
                }
            }
        }
    },
};
