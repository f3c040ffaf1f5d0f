import { Notifier } from "./types";

/** Sends nothing: a rehearsal replays the past, and must page nobody nor silence live alerts. */
export const quietNotifier: Notifier = {
    annotate: async () => undefined,
    silence: async () => undefined,
    expireSilence: async () => undefined,
    page: async () => undefined,
};
