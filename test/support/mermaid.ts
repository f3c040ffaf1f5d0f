// What can be checked of a Mermaid `xychart-beta` block offline: its grammar as mermaid 11's xychart
// parser takes it (packages/mermaid/src/diagrams/xychart/parser/xychart.jison), for the statements the
// job summary writes. Mermaid's own `parse` needs a DOM (DOMPurify) in Node, so it is not run here.

export interface XyChart {
    title?: string;
    xLabels: string[];
    yAxis: { label: string; min: number; max: number };
    lines: number[][];
}

const NUMBER = /^-?\d+(\.\d+)?$/;
/** Quoted strings separated by commas, nothing else. */
function quotedList(text: string): string[] | undefined {
    const items: string[] = [];
    const rest = text.replace(/\s*"([^"\n]*)"\s*(,|$)/g, (_m, item: string) => (items.push(item), ""));
    return rest.trim() === "" ? items : undefined;
}

/** The charts of every ```mermaid block of `markdown`, or the first problem found (with its line). */
export function parseXyCharts(markdown: string): { charts: XyChart[]; problems: string[] } {
    const charts: XyChart[] = [];
    const problems: string[] = [];
    const blocks = [...markdown.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map(m => m[1]);
    if ((markdown.match(/^```/gm) ?? []).length !== blocks.length * 2) problems.push("a fence is not closed");
    for (const block of blocks) {
        const lines = block.split("\n").filter(l => l.trim() !== "");
        if (lines[0] !== "xychart-beta") {
            problems.push(`expected xychart-beta, found ${JSON.stringify(lines[0])}`);
            continue;
        }
        const chart: Partial<XyChart> & { lines: number[][] } = { lines: [] };
        for (const line of lines.slice(1)) {
            let m: RegExpExecArray | null;
            if (!line.startsWith("    ")) problems.push(`statement not indented: ${line}`);
            const statement = line.trim();
            if ((m = /^title "([^"\n]*)"$/.exec(statement))) chart.title = m[1];
            else if ((m = /^x-axis \[(.*)\]$/.exec(statement))) {
                const labels = quotedList(m[1]);
                if (!labels) problems.push(`x-axis labels must be quoted strings: ${statement}`);
                else chart.xLabels = labels;
            } else if ((m = /^y-axis "([^"\n]*)" (\S+) --> (\S+)$/.exec(statement))) {
                if (!NUMBER.test(m[2]) || !NUMBER.test(m[3]) || Number(m[2]) >= Number(m[3])) problems.push(`y-axis range: ${statement}`);
                chart.yAxis = { label: m[1], min: Number(m[2]), max: Number(m[3]) };
            } else if ((m = /^(line|bar) \[(.*)\]$/.exec(statement))) {
                const values = m[2].split(",").map(v => v.trim());
                if (values.some(v => !NUMBER.test(v))) problems.push(`a series holds a value that is no plain number: ${statement}`);
                chart.lines.push(values.map(Number));
            } else problems.push(`unknown statement: ${statement}`);
        }
        if (!chart.xLabels || !chart.yAxis || !chart.lines.length) problems.push(`incomplete chart: ${block}`);
        else {
            for (const series of chart.lines) {
                if (series.length !== chart.xLabels.length) {
                    problems.push(`a series of ${series.length} points on an x-axis of ${chart.xLabels.length}`);
                }
            }
            charts.push(chart as XyChart);
        }
    }
    return { charts, problems };
}
