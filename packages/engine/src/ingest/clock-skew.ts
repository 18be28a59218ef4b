/**
 * Clock skew allowed between a source's clock and Passage's before a timestamp, or a date, counts
 * as later than the row's receipt: one hour.
 */
export const CLOCK_SKEW_MS = 60 * 60 * 1000;
