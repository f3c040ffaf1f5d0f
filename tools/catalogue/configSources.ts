import { sectionSchemas, secretKeys } from "../../stacks/config";
import { promotionSettings } from "../../stacks/config/promotion";
import { withConfigReference } from "./configReference";

/** What docs/config.md's generated blocks are made of: the sections' schemas, the secret keys, the promotion's default checks. */
export function configReferenceSources(): Parameters<typeof withConfigReference>[1] {
    return { sections: sectionSchemas, secrets: secretKeys, checks: promotionSettings(undefined) };
}
