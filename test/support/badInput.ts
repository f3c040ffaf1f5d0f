/** The billion-laughs document: each level nine aliases of the one above, under 400 bytes in all. */
export function aliasBomb(levels = 7): string {
    const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < levels; i++) {
        lines.push(
            `a${i}: &a${i} [${Array(9)
                .fill(`*a${i - 1}`)
                .join(",")}]`,
        );
    }
    return lines.join("\n") + "\n";
}
