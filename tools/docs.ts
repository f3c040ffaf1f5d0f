// npm run docs: refreshes policy/platform/ (the pack's copy of platform/), then regenerates the policy
// reference block of docs/policies.md from the pack.
import * as fs from "fs";
import * as path from "path";
import { syncPlatform } from "./platform/sync";

const changed = syncPlatform();
if (changed.length > 0) console.log(`policy/platform/: ${changed.join("; ")}`);
// Loaded after the sync: the pack imports policy/platform/.
const { policies } = require("../policy/pack") as typeof import("../policy/pack");
const { withPolicyReference } = require("./catalogue/policyCatalogue") as typeof import("./catalogue/policyCatalogue");

const file = path.join(__dirname, "..", "docs", "policies.md");
const before = fs.readFileSync(file, "utf8");
const after = withPolicyReference(before, policies);
fs.writeFileSync(file, after);
console.log(before === after ? "docs/policies.md is up to date" : "docs/policies.md: policy reference regenerated");
