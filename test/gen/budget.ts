/**
 * The time limit of a generated-program suite: sized by its count of programs, it takes a minute or
 * so on an idle 2-core machine and several under load, so its limit only catches a hang.
 */
export const SUITE_TIMEOUT_MS = 30 * 60_000;

/** Per call of a generated program under `vm`: it always terminates, so this only catches a hang. */
export const CALL_TIMEOUT_MS = 30_000;
