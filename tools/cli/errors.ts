/** Bad input from the command line or a file it names; the CLIs exit 2 with the message and the usage. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

/** Thrown when the program could not run to completion (invalid config or a failure in the program); exit 2 with the message alone. */
export class ProgramError extends Error {
    constructor(
        message: string,
        readonly cause: Error,
    ) {
        super(message);
        this.name = "ProgramError";
    }
}
