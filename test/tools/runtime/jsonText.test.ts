import { strict as assert } from "assert";
import { describeJsonShape, jsonProblem, parseJsonText } from "../../../tools/runtime/jsonText";

describe("JSON a user hands a tool", () => {
    const sentinel = "Sentinel-Pw-7Q2x9K";

    it("says where JSON is broken, or that it is, and never what it holds", () => {
        for (const text of [
            `{"password": ${sentinel}}`,
            `{"password": "${sentinel}"`,
            `${sentinel}`,
            `{"a": 1,\n "password": "${sentinel}" "b": 2}`,
        ]) {
            let message = "";
            try {
                JSON.parse(text);
            } catch (e) {
                message = jsonProblem(text, e);
            }
            assert.match(message, /^not JSON/);
            assert.ok(!message.includes(sentinel) && !message.includes("Sentinel"), message);
        }
        assert.equal(jsonProblem("   ", new SyntaxError("Unexpected end of JSON input")), "not JSON (it is empty)");
        assert.equal(
            jsonProblem('{"a": 1,\n "b" 2}', new SyntaxError("Expected ':' after property name in JSON at position 14")),
            "not JSON (invalid at line 2, column 6)",
        );
    });

    it("parses valid JSON, and throws the caller's error for the rest", () => {
        assert.deepEqual(
            parseJsonText('{"a": [1]}', p => new Error(p)),
            { a: [1] },
        );
        assert.throws(
            () => parseJsonText(`{${sentinel}`, p => new RangeError(`outputs.json is ${p}`)),
            (e: Error) => e instanceof RangeError && !e.message.includes(sentinel),
        );
    });

    it("describes a value by its shape only", () => {
        assert.equal(describeJsonShape({ password: sentinel }), 'an object with keys "password"');
        assert.equal(describeJsonShape([sentinel]), "a list of 1 item(s)");
        assert.equal(describeJsonShape(sentinel), "a string");
        assert.equal(describeJsonShape(null), "null");
    });
});
