import * as fs from "fs";
import * as path from "path";
import { UsageError } from "./errors";

/** A file a CLI was given to read: a usage error when it is missing or not a regular file. */
export function readInputFile(file: string, what: string): string {
    let stat: fs.Stats;
    try {
        stat = fs.statSync(file);
    } catch {
        throw new UsageError(`${what} ${file} does not exist`);
    }
    if (stat.isDirectory()) throw new UsageError(`${what} ${file} is a directory; give the files in it (e.g. ${path.join(file, "*.yaml")})`);
    if (!stat.isFile()) throw new UsageError(`${what} ${file} is not a regular file`);
    return fs.readFileSync(file, "utf8");
}
