import { strict as assert } from "assert";
import { credentialFamilies, documentedExampleKeys, filler } from "../../../policy/lib/credentialFamilies";
import { credentialFamilyOf, credentialShapeOf } from "../../../policy/lib/credentials";

describe("credential families", () => {
    it("has one family per id, each with a label, a source and both examples", () => {
        assert.ok(credentialFamilies.length >= 80, `only ${credentialFamilies.length} families`);
        assert.equal(new Set(credentialFamilies.map(f => f.id)).size, credentialFamilies.length);
        for (const family of credentialFamilies) {
            assert.match(family.label, /^an? /, family.id);
            assert.ok(family.source.length > 0 && family.example !== family.nearMiss, family.id);
            assert.doesNotThrow(() => new RegExp(family.pattern), family.id);
        }
    });

    for (const family of credentialFamilies) {
        it(`${family.id}: finds its example, alone and inside a longer value, and not its near miss`, () => {
            assert.equal(credentialFamilyOf(family.example)?.id, family.id, "the example alone");
            assert.equal(credentialFamilyOf(`connect with ${family.example} then retry`)?.id, family.id, "the example inside a sentence");
            assert.equal(credentialFamilyOf(family.nearMiss)?.id, undefined, "the near miss");
        });
    }

    it("takes a family's token only whole: a letter or digit running on beside it is another word", () => {
        const github = credentialFamilies.find(f => f.id === "github-token")!;
        assert.equal(credentialFamilyOf(`x${github.example}`), undefined);
        const alpaca = credentialFamilies.find(f => f.id === "alpaca-key-id")!;
        assert.equal(credentialFamilyOf(`${alpaca.example}Z`), undefined, "21 characters are not a 20-character key id");
    });

    it("is never fooled by a documented sample key, a filler, or a URL's placeholder password", () => {
        for (const key of documentedExampleKeys) assert.equal(credentialShapeOf(key), undefined, key);
        assert.equal(credentialShapeOf("sk_live_" + "x".repeat(24)), undefined);
        assert.equal(credentialShapeOf("AKIA" + "X".repeat(16)), undefined);
        assert.equal(credentialShapeOf("ghp_" + "0".repeat(36)), undefined);
        for (const url of [
            "postgres://user:password@db.internal/ticks",
            "mysql://admin:REPLACE_WITH_PASSWORD@mysql:3306/db",
            "postgres://postgres:postgres@localhost:5432/db",
            "https://${USER}:${PASS}@api.internal",
            "postgres://$(PGUSER):$(PGPASSWORD)@$(PGHOST)/db",
            "https://user:abc@api.internal",
            "https://user:xxxx@api.internal",
        ]) {
            assert.equal(credentialShapeOf(url), undefined, url);
        }
        assert.equal(credentialShapeOf("-----BEGIN PRIVATE KEY-----\nxxx\n-----END PRIVATE KEY-----"), undefined);
        assert.equal(credentialShapeOf("postgres://trader:Zq81mXv0pL@db.internal/ticks"), "a URL with an embedded password");
    });

    it("generates the same examples every time", () => {
        assert.equal(filler("abc", 12, "seed"), filler("abc", 12, "seed"));
        assert.notEqual(filler("abcdefgh", 12, "seed"), filler("abcdefgh", 12, "other"));
    });
});
