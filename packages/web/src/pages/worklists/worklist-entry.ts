/** One row of the worklist table: the parts of a listed entry the table shows. */
export interface WorklistEntry {
  readonly personId: string;
  /** The effective tier: a supervisor's override when there is one, else the policy's. */
  readonly tier: number;
  /** The label of `tier`. */
  readonly tierLabel: string;
  /** The policy's own tier and its label (the same as `tier` unless overridden). */
  readonly policyTier: number;
  readonly policyTierLabel: string;
  readonly score: number;
  readonly orderFinalDate: string | null;
  readonly policyVersion: string;
  /** Set when a supervisor overrode the policy's tier. */
  readonly overridden?: boolean;
}
