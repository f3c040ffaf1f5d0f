// Facts the program and the policy pack share, with no Pulumi import so the pack can carry a copy.
export * from "./cidr";
export * from "./data";
export * from "./environments";
export * from "./rollout";
export * from "./trading";
