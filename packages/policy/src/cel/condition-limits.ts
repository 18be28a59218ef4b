/**
 * Limits on a rule's condition and a policy's rules. The size limits are checked when a policy
 * loads; the budgets stop one rule, or the rest of a policy's rules, on one case while they run,
 * for work that grows with the case facts (a nested macro over long lists). Nested macros multiply: nine levels over a ten-element list are
 * 10^9 steps, and a policy file must not be able to hang or exhaust the process that loads it.
 * The shipped policies use one level of macros and conditions under 200 characters.
 */
export const CONDITION_LIMITS = {
  /** Characters in one condition. */
  maxSourceLength: 4096,
  /** Levels of the parsed expression: operators, calls, selections and literals inside one another. */
  maxExpressionDepth: 64,
  /** Macros (exists, all, exists_one, map, filter) in the body of one another. */
  maxMacroDepth: 3,
  /** Elements written in one list literal. */
  maxListLiteralElements: 256,
  /**
   * Steps one rule may take on one case. Inside a macro, each iteration costs the size of its
   * body in expression nodes, each list element concatenated, compared or searched costs one,
   * and each 16 characters of a string concatenated, compared or scanned cost one. Work outside
   * every macro runs once and is not charged. A rule that runs out stops on that case with a
   * rule error; spending it all takes some 2 to 15 ms.
   */
  evaluationBudget: 1_000_000,
  /**
   * Steps all the rules of one policy may take on one case together (counted as above): a policy
   * of many rules, each within its own budget, would otherwise take rules x budget per case. Once
   * it is spent, the rules with a macro still to run stop on that case with a rule error.
   */
  caseBudget: 2_000_000,
  /** Rules in one policy (checked when it loads). The shipped policies have 10 and 15. */
  maxRules: 100,
  /**
   * Characters of all the conditions of one policy together (checked when it loads): parsing
   * takes some 3 to 10 ms per 1,000 characters, and a check or dry run compiles the whole policy
   * at once, synchronously. The shipped policies' conditions total under 2,000.
   */
  maxConditionCharacters: 16_384,
  /**
   * The largest weight a rule may carry (checked when it loads). With at most `maxRules` rules the
   * score stays within ±10^8, finite and far inside the doubles that hold every integer exactly:
   * a weight like 1.7e308 would overflow the sum to Infinity, a score no worklist can store.
   */
  maxWeight: 1_000_000,
  /**
   * The highest tier number a policy may declare (checked when it loads): the worklist's tier
   * filter and supervisors' overrides (HTTP and CLI) accept tiers 1 to 1000, so a higher tier
   * could be neither filtered nor overridden to.
   */
  maxTier: 1000,
} as const;
