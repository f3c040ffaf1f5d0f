// npm run docs: refreshes policy/platform/, then regenerates the policy reference in docs/policies.md.
import { main } from "./cli/commands/docs";

void main(process.argv.slice(2)).then(code => {
    process.exitCode = code;
});
