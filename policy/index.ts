// Entry of the policy pack, run by the Pulumi CLI (`pulumi preview --policy-pack policy`).
import { PolicyPack } from "@pulumi/policy";
import { packEnforcementLevel, packName, policies } from "./pack";

new PolicyPack(packName, { enforcementLevel: packEnforcementLevel, policies });
