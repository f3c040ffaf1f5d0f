// npm run docs: regenerates the policy reference block of docs/policies.md from the pack.
import * as fs from "fs";
import * as path from "path";
import { policies } from "../policy/pack";
import { withPolicyReference } from "./catalogue/policyCatalogue";

const file = path.join(__dirname, "..", "docs", "policies.md");
const before = fs.readFileSync(file, "utf8");
const after = withPolicyReference(before, policies);
fs.writeFileSync(file, after);
console.log(before === after ? "docs/policies.md is up to date" : "docs/policies.md: policy reference regenerated");
