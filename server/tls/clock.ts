/** The clock of the domain lifecycle (checks, limits, renewal); tests move it forward. */
export const tlsClock = { now: (): Date => new Date() };
