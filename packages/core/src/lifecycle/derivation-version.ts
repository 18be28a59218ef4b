/**
 * The version of what a derivation makes of the same records and rules: the lifecycle state machine
 * (this package) and the gates evaluated with it. A stored status carries the version it was derived
 * with (through the digest of the rules in force), so a Passage whose derivation changed finds
 * every status stored by an earlier one out of date and derives them again (`passage rebuild`,
 * which `serve` and `start` run by themselves after such an upgrade). Without it a legal fix
 * reached a person only when one of their records next changed, and the worklist went on listing
 * persons an earlier derivation had wrongly found removable.
 *
 * It is the number of the last entry of docs/lifecycle-semantics.md, "Changes since the first
 * version" (a test holds the two equal): each entry there changes what a derivation makes. Raise it
 * also with any other change to a derived status or gate (a fix that needs no entry there).
 */
export const LIFECYCLE_DERIVATION_VERSION = 58;
