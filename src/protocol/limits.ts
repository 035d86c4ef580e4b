/**
 * The longest delay a JavaScript timer keeps, ms (2³¹ − 1). `setTimeout` fires at once, with a
 * TimeoutOverflowWarning in Node, for anything longer: an interval or timeout above it would turn a
 * heartbeat every minute into dozens a second. Every delay the client or the local gateway is
 * given, by an option or by a Hello, is checked against this one number.
 */
export const MAX_TIMER_MS = 2_147_483_647;
