import { parse } from "@bufbuild/cel";
import {
  BOOL,
  type CelValueType,
  containsDyn,
  DOUBLE,
  DYN,
  formatType,
  INT,
  isNumeric,
  listOf,
  STRING,
  unifyTypes,
} from "./cel-types.ts";
import { CONDITION_LIMITS } from "./condition-limits.ts";

type ParsedExpression = ReturnType<typeof parse>;
type Expression = ParsedExpression["expr"];

/** A run-time CEL error (division by zero, index out of range, overflow): a value, as in CEL. */
export class CelEvaluationError extends Error {
  override readonly name: string = "CelEvaluationError";
}

/**
 * A condition that ran past its evaluation budget on a case. Unlike the errors above it is not
 * a value: `||`, `&&` and the macros never absorb it, so it stops the whole condition at once.
 */
export class CelBudgetExceededError extends CelEvaluationError {
  override readonly name: string = "CelBudgetExceededError";
}

/** An error CEL treats as a value (absorbed by `||`, `&&` and macros); an exceeded budget is not one. */
function isErrorValue(error: unknown): error is CelEvaluationError {
  return error instanceof CelEvaluationError && !(error instanceof CelBudgetExceededError);
}

/** A syntax or type error found while compiling a condition, with its column when known. */
export class CelCompileError extends Error {
  override readonly name = "CelCompileError";
  constructor(
    message: string,
    readonly column: number | undefined,
  ) {
    super(column === undefined ? message : `${message} (at column ${column})`);
  }
}

/** A variable the condition may read, and the slot of the frame that holds its value. */
export interface SlotVariable {
  readonly slot: number;
  readonly type: CelValueType;
}

/** A compiled, type-checked condition: a closure over a frame of variable values. */
export interface CompiledCondition {
  readonly evaluate: (frame: unknown[]) => unknown;
  readonly type: CelValueType;
  /** The declared variables the condition reads, sorted. */
  readonly referencedVariables: readonly string[];
  /** Frame slots the condition needs (declared variables plus its comprehension variables). */
  readonly frameSize: number;
}

export interface CompileOptions {
  /** Explains why a name is not declared (e.g. that it is a forbidden attribute). */
  readonly describeUndeclared?: (name: string) => string;
}

type Evaluator = (frame: unknown[]) => unknown;
interface Node {
  readonly type: CelValueType;
  readonly run: Evaluator;
}
type Scope = ReadonlyMap<string, { slot: number; type: CelValueType; accumulator: boolean }>;
/** Steps left to one evaluation of one condition (evaluation is synchronous and never re-entered). */
interface Budget {
  remaining: number;
}
/**
 * The budget of work outside every macro: it runs once per evaluation, bounded by the size of
 * the condition and of the case facts, so it is not charged (and a condition without macros
 * pays nothing for the budget).
 */
const UNCHARGED: Budget = { remaining: Number.POSITIVE_INFINITY };
const EVALUATION_BUDGET = CONDITION_LIMITS.evaluationBudget;
/**
 * Steps left to every condition evaluated for the current case (see `withCaseBudget`); unbounded
 * outside one, where each evaluation has its own budget alone.
 */
const CASE_BUDGET: Budget = { remaining: Number.POSITIVE_INFINITY };

/**
 * Runs `work` (the evaluation of one case's conditions) with `steps` for all of its conditions
 * together, on top of each condition's own budget: once they are spent, every condition with a
 * macro still to run stops on this case with a CelBudgetExceededError. The many rules of a policy
 * cannot each take a full budget on every case. Not re-entrant (evaluation is synchronous).
 */
export function withCaseBudget<T>(steps: number, work: () => T): T {
  CASE_BUDGET.remaining = steps;
  try {
    return work();
  } finally {
    CASE_BUDGET.remaining = Number.POSITIVE_INFINITY;
  }
}

function caseBudgetExceeded(): CelBudgetExceededError {
  return new CelBudgetExceededError(
    `the policy's conditions together took more than ${CONDITION_LIMITS.caseBudget} steps on this case (its case budget)`,
  );
}

const OPERATOR_NAMES: Readonly<Record<string, string>> = {
  "_&&_": "&&",
  "_||_": "||",
  "!_": "!",
  "-_": "unary -",
  "_==_": "==",
  "_!=_": "!=",
  "_<_": "<",
  "_<=_": "<=",
  "_>_": ">",
  "_>=_": ">=",
  "_+_": "+",
  "_-_": "-",
  "_*_": "*",
  "_/_": "/",
  "_%_": "%",
  "_?_:_": "?:",
  "@in": "in",
  "_[_]": "[]",
};

/**
 * Parses a CEL condition with @bufbuild/cel, checks its types against the declared variables,
 * and compiles it to closures once, so evaluating a case costs no parsing or planning.
 * @bufbuild/cel has no type checker of its own (0.6), which is what the allowlist needs: a
 * name that is not declared does not exist. Its evaluator stays the reference in the tests.
 * The CONDITION_LIMITS are enforced here: size and nesting when compiling, the budget per evaluation.
 */
export function compileCondition(
  source: string,
  variables: ReadonlyMap<string, SlotVariable>,
  options: CompileOptions = {},
): CompiledCondition {
  if (source.length > CONDITION_LIMITS.maxSourceLength) {
    throw new CelCompileError(
      `the condition is ${source.length} characters long; the limit is ${CONDITION_LIMITS.maxSourceLength}`,
      undefined,
    );
  }
  let parsed: ParsedExpression;
  try {
    parsed = parse(source);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CelCompileError(`syntax error: ${message.replace(/^<input>:/, "")}`, undefined);
  }
  const compiler = new ConditionCompiler(variables, parsed.sourceInfo?.positions ?? {}, options);
  const node = compiler.compile(parsed.expr, new Map());
  const run = node.run;
  const budget = compiler.budget;
  return {
    evaluate: compiler.usesBudget
      ? (frame) => {
          // A condition may take its own budget, or what is left of the case's (whichever is less).
          const caseLeft = CASE_BUDGET.remaining;
          const allowed = Math.min(caseLeft, EVALUATION_BUDGET);
          if (allowed <= 0) throw caseBudgetExceeded();
          budget.remaining = allowed;
          try {
            return run(frame);
          } catch (error) {
            if (error instanceof CelBudgetExceededError && allowed < EVALUATION_BUDGET)
              throw caseBudgetExceeded();
            throw error;
          } finally {
            CASE_BUDGET.remaining = caseLeft - (allowed - Math.max(budget.remaining, 0));
          }
        }
      : run,
    type: node.type,
    referencedVariables: [...compiler.referenced].sort(),
    frameSize: compiler.nextSlot,
  };
}

class ConditionCompiler {
  readonly referenced = new Set<string>();
  readonly budget: Budget = { remaining: 0 };
  /** Whether the condition has a macro, the only place where work is charged to the budget. */
  usesBudget = false;
  nextSlot: number;
  /** Expression nodes compiled so far: a macro's iteration costs the size of its body. */
  nodeCount = 0;
  private expressionDepth = 0;
  private macroDepth = 0;

  constructor(
    private readonly variables: ReadonlyMap<string, SlotVariable>,
    private readonly positions: Readonly<Record<string, number>>,
    private readonly options: CompileOptions,
  ) {
    let highest = -1;
    for (const variable of variables.values()) highest = Math.max(highest, variable.slot);
    this.nextSlot = highest + 1;
  }

  /** The budget work compiled now is charged to: the condition's inside a macro, none outside. */
  budgetHere(): Budget {
    return this.macroDepth > 0 ? this.budget : UNCHARGED;
  }

  /** The string operand, charging its characters when compiled inside a macro. */
  chargedText(operand: Evaluator): Evaluator {
    return this.macroDepth > 0 ? chargeText(operand, this.budget) : operand;
  }

  fail(expression: Expression, message: string): never {
    const offset = this.positions[expression.id.toString()];
    throw new CelCompileError(message, offset === undefined ? undefined : offset + 1);
  }

  compile(expression: Expression, scope: Scope): Node {
    if (this.expressionDepth === CONDITION_LIMITS.maxExpressionDepth) {
      return this.fail(
        expression,
        `the expression is nested more than ${CONDITION_LIMITS.maxExpressionDepth} levels deep`,
      );
    }
    this.expressionDepth++;
    this.nodeCount++;
    const node = this.compileKind(expression, scope);
    this.expressionDepth--;
    return node;
  }

  compileKind(expression: Expression, scope: Scope): Node {
    const kind = expression.exprKind;
    switch (kind.case) {
      case "constExpr":
        return this.constant(expression, kind.value.constantKind);
      case "identExpr":
        return this.identifier(expression, kind.value.name, scope);
      case "selectExpr":
        return this.select(expression, kind.value, scope);
      case "callExpr":
        return this.call(expression, kind.value, scope);
      case "listExpr":
        return this.list(expression, kind.value.elements, scope);
      case "comprehensionExpr":
        return this.comprehension(expression, kind.value, scope);
      case "structExpr":
        return this.fail(expression, "map and message literals are not used in rules");
      default:
        return this.fail(expression, "unsupported expression");
    }
  }

  constant(expression: Expression, constant: { case: string | undefined; value?: unknown }): Node {
    switch (constant.case) {
      case "boolValue":
      case "stringValue": {
        const value = constant.value;
        return { type: constant.case === "boolValue" ? BOOL : STRING, run: () => value };
      }
      case "doubleValue": {
        const value = constant.value as number;
        return { type: DOUBLE, run: () => value };
      }
      case "int64Value": {
        const value = Number(constant.value as bigint);
        if (!Number.isSafeInteger(value)) this.fail(expression, "integer literal out of range (±2^53)");
        return { type: INT, run: () => value };
      }
      case "nullValue":
        return this.fail(
          expression,
          "null is not a value of any case fact (absent facts have documented defaults)",
        );
      default:
        return this.fail(expression, `${constant.case ?? "this"} literals are not used in rules`);
    }
  }

  identifier(expression: Expression, name: string, scope: Scope): Node {
    const local = scope.get(name);
    if (local !== undefined) {
      const slot = local.slot;
      if (local.accumulator) {
        return {
          type: local.type,
          run: (frame) => {
            const value = frame[slot];
            if (value instanceof CelEvaluationError) throw value;
            return value;
          },
        };
      }
      return { type: local.type, run: (frame) => frame[slot] };
    }
    const variable = this.variables.get(name);
    if (variable === undefined) {
      const reason = this.options.describeUndeclared?.(name) ?? "not a declared variable";
      return this.fail(expression, `undeclared reference to '${name}': ${reason}`);
    }
    this.referenced.add(name);
    const slot = variable.slot;
    return { type: variable.type, run: (frame) => frame[slot] };
  }

  select(
    expression: Expression,
    select: { operand?: Expression; field: string; testOnly: boolean },
    scope: Scope,
  ) {
    if (select.operand === undefined) return this.fail(expression, "field selection without an operand");
    const operand = this.compile(select.operand, scope);
    if (operand.type.kind !== "record") {
      return this.fail(
        expression,
        `'${select.field}' selected from a value of type ${formatType(operand.type)}`,
      );
    }
    const index = operand.type.fields.findIndex((field) => field.name === select.field);
    if (index < 0) {
      const known = operand.type.fields.map((field) => field.name).join(", ");
      return this.fail(expression, `${operand.type.name} has no field '${select.field}' (fields: ${known})`);
    }
    if (select.testOnly) return { type: BOOL, run: () => true };
    const run = operand.run;
    return {
      type: operand.type.fields[index]!.type,
      run: (frame: unknown[]) => (run(frame) as unknown[])[index],
    };
  }

  list(expression: Expression, elements: readonly Expression[], scope: Scope): Node {
    if (elements.length > CONDITION_LIMITS.maxListLiteralElements) {
      return this.fail(
        expression,
        `the list has ${elements.length} elements; the limit is ${CONDITION_LIMITS.maxListLiteralElements}`,
      );
    }
    const nodes = elements.map((element) => this.compile(element, scope));
    let elementType: CelValueType = DYN;
    for (const node of nodes) {
      const unified = unifyTypes(elementType, node.type);
      if (unified === undefined) {
        return this.fail(expression, `list mixes ${formatType(elementType)} and ${formatType(node.type)}`);
      }
      elementType = unified;
    }
    const runs = nodes.map((node) => node.run);
    return { type: listOf(elementType), run: (frame) => runs.map((run) => run(frame)) };
  }

  comprehension(
    expression: Expression,
    comprehension: {
      iterVar: string;
      iterVar2: string;
      iterRange?: Expression;
      accuVar: string;
      accuInit?: Expression;
      loopCondition?: Expression;
      loopStep?: Expression;
      result?: Expression;
    },
    scope: Scope,
  ): Node {
    const { iterRange, accuInit, loopCondition, loopStep, result } = comprehension;
    if (!iterRange || !accuInit || !loopCondition || !loopStep || !result || comprehension.iterVar2 !== "") {
      return this.fail(expression, "unsupported comprehension");
    }
    const range = this.compile(iterRange, scope);
    if (range.type.kind !== "list") {
      return this.fail(expression, `a macro ranges over a list, not ${formatType(range.type)}`);
    }
    // Nesting multiplies the iterations; a macro over another's result (its range) only adds.
    if (this.macroDepth === CONDITION_LIMITS.maxMacroDepth) {
      return this.fail(
        expression,
        `macros are nested more than ${CONDITION_LIMITS.maxMacroDepth} deep (exists, all, exists_one, map, filter inside one another)`,
      );
    }
    this.macroDepth++;
    this.usesBudget = true;
    const iterSlot = this.nextSlot++;
    const accuSlot = this.nextSlot++;
    const budget = this.budget;
    const quantifier = quantifierOf(comprehension);
    if (quantifier !== undefined) {
      // exists() and all() as one loop over the predicate (same slots, same result and same
      // error as the general loop below, which makes several closure calls per element).
      const slotsAfterAccumulator = this.nextSlot;
      const predicateScope = new Map(scope);
      predicateScope.set(comprehension.iterVar, {
        slot: iterSlot,
        type: range.type.element,
        accumulator: false,
      });
      const nodesBefore = this.nodeCount;
      const predicate = this.compile(quantifier.predicate, predicateScope);
      if (predicate.type.kind === "bool") {
        const cost = this.nodeCount - nodesBefore + 1;
        this.macroDepth--;
        return {
          type: BOOL,
          run: quantify(quantifier.exists, range.run, predicate.run, iterSlot, budget, cost),
        };
      }
      // Not a bool: the general path reports it exactly as before.
      this.nextSlot = slotsAfterAccumulator;
    }
    const initial = this.compile(accuInit, scope);
    const withIteration = new Map(scope);
    withIteration.set(comprehension.iterVar, {
      slot: iterSlot,
      type: range.type.element,
      accumulator: false,
    });
    const scopeWith = (accuType: CelValueType): Scope => {
      const inner = new Map(withIteration);
      inner.set(comprehension.accuVar, { slot: accuSlot, type: accuType, accumulator: true });
      return inner;
    };
    // An empty list accumulator (map, filter) learns its element type from the loop step.
    let accuType = initial.type;
    let nodesBefore = this.nodeCount;
    let step = this.compile(loopStep, scopeWith(accuType));
    const refined = unifyTypes(accuType, step.type);
    if (refined === undefined) {
      return this.fail(
        expression,
        `macro step has type ${formatType(step.type)}, expected ${formatType(accuType)}`,
      );
    }
    if (containsDyn(accuType) && !containsDyn(refined)) {
      accuType = refined;
      nodesBefore = this.nodeCount;
      step = this.compile(loopStep, scopeWith(accuType));
    }
    const condition = this.compile(loopCondition, scopeWith(accuType));
    const cost = this.nodeCount - nodesBefore + 1;
    if (condition.type.kind !== "bool") return this.fail(expression, "macro loop condition is not bool");
    const final = this.compile(result, scopeWith(accuType));
    const runRange = range.run;
    const runInitial = initial.run;
    const runCondition = condition.run;
    const runStep = step.run;
    const runResult = final.run;
    this.macroDepth--;
    return {
      type: final.type,
      run: (frame) => {
        const items = runRange(frame) as unknown[];
        frame[accuSlot] = runInitial(frame);
        // An index loop, not for-of: lists may be the shared frozen empty list, and an iterator
        // per macro per case is garbage the collector pays for.
        for (let position = 0; position < items.length; position++) {
          spend(budget, cost);
          frame[iterSlot] = items[position];
          if (runCondition(frame) !== true) break;
          try {
            frame[accuSlot] = runStep(frame);
          } catch (error) {
            if (!isErrorValue(error)) throw error;
            frame[accuSlot] = error;
          }
        }
        return runResult(frame);
      },
    };
  }

  call(
    expression: Expression,
    call: { target?: Expression; function: string; args: readonly Expression[] },
    scope: Scope,
  ) {
    if (call.target !== undefined)
      return this.method(expression, call.function, call.target, call.args, scope);
    const args = call.args.map((argument) => this.compile(argument, scope));
    const name = call.function;
    const display = OPERATOR_NAMES[name] ?? name;
    const mismatch = (): never =>
      this.fail(
        expression,
        `${display} cannot apply to ${args.map((arg) => formatType(arg.type)).join(" and ")}`,
      );
    const [first, second, third] = args;
    switch (name) {
      case "_&&_":
      case "_||_":
        if (first?.type.kind !== "bool" || second?.type.kind !== "bool") return mismatch();
        return { type: BOOL, run: logical(name === "_&&_", first.run, second.run) };
      case "!_":
        if (first?.type.kind !== "bool") return mismatch();
        return { type: BOOL, run: negateBool(first.run) };
      case "@not_strictly_false":
        if (first?.type.kind !== "bool") return mismatch();
        return { type: BOOL, run: notStrictlyFalse(first.run) };
      case "-_":
        if (first === undefined || !isNumeric(first.type)) return mismatch();
        return { type: first.type, run: negateNumber(first.run) };
      case "_==_":
      case "_!=_": {
        if (first === undefined || second === undefined) return mismatch();
        const unified = unifyTypes(first.type, second.type);
        if (unified === undefined) return mismatch();
        return { type: BOOL, run: equality(name === "_==_", first.run, second.run, this.budgetHere()) };
      }
      case "_<_":
      case "_<=_":
      case "_>_":
      case "_>=_": {
        if (first === undefined || second === undefined) return mismatch();
        const comparable =
          (isNumeric(first.type) && isNumeric(second.type)) ||
          (first.type.kind === "string" && second.type.kind === "string");
        if (!comparable) return mismatch();
        const left = first.type.kind === "string" ? this.chargedText(first.run) : first.run;
        return { type: BOOL, run: ordering(name, left, second.run) };
      }
      case "_+_":
      case "_-_":
      case "_*_":
      case "_/_":
      case "_%_":
        if (first === undefined || second === undefined) return mismatch();
        return this.arithmetic(name, first, second) ?? mismatch();
      case "_?_:_": {
        if (first?.type.kind !== "bool" || second === undefined || third === undefined) return mismatch();
        const type = unifyTypes(second.type, third.type);
        if (type === undefined) return mismatch();
        return { type, run: conditional(first.run, second.run, third.run) };
      }
      case "@in": {
        if (first === undefined || second?.type.kind !== "list") return mismatch();
        if (unifyTypes(first.type, second.type.element) === undefined) return mismatch();
        return { type: BOOL, run: membership(first.run, second.run, this.budgetHere()) };
      }
      case "_[_]": {
        if (first?.type.kind !== "list" || second?.type.kind !== "int") return mismatch();
        return { type: first.type.element, run: indexList(first.run, second.run) };
      }
      case "size":
        if (first === undefined || args.length !== 1) return mismatch();
        return this.size(first) ?? mismatch();
      case "int":
      case "double":
      case "string":
        if (first === undefined || args.length !== 1) return mismatch();
        return conversion(name, first) ?? mismatch();
      default:
        return this.fail(expression, `unknown function '${name}'`);
    }
  }

  method(
    expression: Expression,
    name: string,
    target: Expression,
    argExpressions: readonly Expression[],
    scope: Scope,
  ) {
    const receiver = this.compile(target, scope);
    const args = argExpressions.map((argument) => this.compile(argument, scope));
    const mismatch = (): never =>
      this.fail(
        expression,
        `${formatType(receiver.type)}.${name}(${args.map((arg) => formatType(arg.type)).join(", ")}) does not exist`,
      );
    if (name === "size" && args.length === 0) return this.size(receiver) ?? mismatch();
    if (name === "contains" || name === "startsWith" || name === "endsWith") {
      const [argument] = args;
      if (receiver.type.kind !== "string" || args.length !== 1 || argument?.type.kind !== "string")
        return mismatch();
      return { type: BOOL, run: stringTest(name, this.chargedText(receiver.run), argument.run) };
    }
    return this.fail(expression, `unknown method '${name}'`);
  }

  size(operand: Node): Node | undefined {
    const run = operand.run;
    if (operand.type.kind === "list") return { type: INT, run: (frame) => (run(frame) as unknown[]).length };
    if (operand.type.kind === "string") {
      const text = this.chargedText(run);
      return { type: INT, run: (frame) => codePointLength(text(frame) as string) };
    }
    return undefined;
  }

  arithmetic(name: string, left: Node, right: Node): Node | undefined {
    const a = left.run;
    const b = right.run;
    const kind = left.type.kind;
    const budget = this.budgetHere();
    // Concatenation is charged before it allocates: map() and filter() append one by one.
    if (name === "_+_" && kind === "list" && right.type.kind === "list") {
      const type = unifyTypes(left.type, right.type);
      return (
        type && {
          type,
          run: (frame) => {
            const head = a(frame) as unknown[];
            const tail = b(frame) as unknown[];
            spend(budget, head.length + tail.length);
            return [...head, ...tail];
          },
        }
      );
    }
    if (name === "_+_" && kind === "string" && right.type.kind === "string") {
      return {
        type: STRING,
        run: (frame) => {
          const head = a(frame) as string;
          const tail = b(frame) as string;
          spend(budget, characterSteps(head.length + tail.length));
          return head + tail;
        },
      };
    }
    if (kind !== right.type.kind || !isNumeric(left.type)) return undefined;
    if (kind === "double") {
      if (name === "_%_") return undefined;
      return { type: DOUBLE, run: doubleArithmetic(name, a, b) };
    }
    return { type: INT, run: intArithmetic(name, a, b) };
  }
}

/**
 * Recognises the expansion of `exists` (accumulator false, step `acc || p`, loop while `!acc`
 * is not strictly false) and of `all` (accumulator true, step `acc && p`, loop while `acc` is not
 * strictly false), both ending with the accumulator; returns the predicate `p`.
 */
function quantifierOf(comprehension: {
  accuVar: string;
  accuInit?: Expression;
  loopCondition?: Expression;
  loopStep?: Expression;
  result?: Expression;
}): { exists: boolean; predicate: Expression } | undefined {
  const { accuVar, accuInit, loopCondition, loopStep, result } = comprehension;
  const isAccumulator = (candidate: Expression | undefined) =>
    candidate?.exprKind.case === "identExpr" && candidate.exprKind.value.name === accuVar;
  const callOf = (candidate: Expression | undefined, name: string, arity: number) =>
    candidate?.exprKind.case === "callExpr" &&
    candidate.exprKind.value.target === undefined &&
    candidate.exprKind.value.function === name &&
    candidate.exprKind.value.args.length === arity
      ? candidate.exprKind.value.args
      : undefined;
  if (accuInit?.exprKind.case !== "constExpr" || !isAccumulator(result)) return undefined;
  const initial = accuInit.exprKind.value.constantKind;
  if (initial.case !== "boolValue") return undefined;
  const exists = initial.value === false;
  const step = callOf(loopStep, exists ? "_||_" : "_&&_", 2);
  if (step === undefined || !isAccumulator(step[0])) return undefined;
  const condition = callOf(loopCondition, "@not_strictly_false", 1);
  if (condition === undefined) return undefined;
  const continues = exists ? callOf(condition[0], "!_", 1)?.[0] : condition[0];
  if (!isAccumulator(continues)) return undefined;
  return { exists, predicate: step[1]! };
}

/**
 * `exists`: true as soon as the predicate holds for an element; otherwise the last error the
 * predicate raised, if any; otherwise false. `all` is its mirror (false as soon as it fails).
 */
function quantify(
  exists: boolean,
  range: Evaluator,
  predicate: Evaluator,
  iterSlot: number,
  budget: Budget,
  cost: number,
): Evaluator {
  const decisive = exists;
  return (frame) => {
    const items = range(frame) as unknown[];
    let failure: CelEvaluationError | undefined;
    for (let position = 0; position < items.length; position++) {
      spend(budget, cost);
      frame[iterSlot] = items[position];
      try {
        if (predicate(frame) === decisive) return decisive;
      } catch (error) {
        if (!isErrorValue(error)) throw error;
        failure = error;
      }
    }
    if (failure !== undefined) throw failure;
    return !decisive;
  };
}

function logical(isAnd: boolean, left: Evaluator, right: Evaluator): Evaluator {
  // CEL's && and || are commutative over errors: `error && false` is false, not an error.
  const absorbing = !isAnd;
  return (frame) => {
    let value: unknown;
    try {
      value = left(frame);
    } catch (error) {
      if (!isErrorValue(error)) throw error;
      if (right(frame) === absorbing) return absorbing;
      throw error;
    }
    return value === absorbing ? absorbing : right(frame);
  };
}

function negateBool(operand: Evaluator): Evaluator {
  return (frame) => !(operand(frame) as boolean);
}

function notStrictlyFalse(operand: Evaluator): Evaluator {
  return (frame) => {
    try {
      return operand(frame) !== false;
    } catch (error) {
      if (isErrorValue(error)) return true;
      throw error;
    }
  };
}

function negateNumber(operand: Evaluator): Evaluator {
  return (frame) => {
    const value = operand(frame) as number;
    return value === 0 ? 0 : -value;
  };
}

/** Takes `steps` from the budget; past its end the condition stops on this case. */
function spend(budget: Budget, steps: number): void {
  budget.remaining -= steps;
  if (budget.remaining < 0) {
    throw new CelBudgetExceededError(
      `the condition took more than ${CONDITION_LIMITS.evaluationBudget} steps on this case (its evaluation budget)`,
    );
  }
}

/** The steps a string of `length` characters costs to build, compare or scan: one per 16. */
function characterSteps(length: number): number {
  return length >>> 4;
}

/** The operand, charging the characters of the string it gives (which the caller then scans). */
function chargeText(operand: Evaluator, budget: Budget): Evaluator {
  return (frame) => {
    const text = operand(frame) as string;
    spend(budget, characterSteps(text.length));
    return text;
  };
}

/** CEL equality: lists and records element by element, charging the elements and characters compared. */
function celEquals(left: unknown, right: unknown, budget: Budget): boolean {
  if (Array.isArray(left) && Array.isArray(right)) {
    if (left.length !== right.length) return false;
    spend(budget, left.length);
    for (let index = 0; index < left.length; index++) {
      if (!celEquals(left[index], right[index], budget)) return false;
    }
    return true;
  }
  if (typeof left === "string") spend(budget, characterSteps(left.length));
  return left === right;
}

function equality(isEqual: boolean, left: Evaluator, right: Evaluator, budget: Budget): Evaluator {
  return (frame) => celEquals(left(frame), right(frame), budget) === isEqual;
}

function ordering(name: string, left: Evaluator, right: Evaluator): Evaluator {
  switch (name) {
    case "_<_":
      return (frame) => (left(frame) as number) < (right(frame) as number);
    case "_<=_":
      return (frame) => (left(frame) as number) <= (right(frame) as number);
    case "_>_":
      return (frame) => (left(frame) as number) > (right(frame) as number);
    default:
      return (frame) => (left(frame) as number) >= (right(frame) as number);
  }
}

function checkedInteger(value: number): number {
  // Rule values are small (days, counts, severities); past ±2^53 a JS number is no longer exact.
  if (!Number.isSafeInteger(value)) throw new CelEvaluationError("integer overflow");
  return value === 0 ? 0 : value;
}

function intArithmetic(name: string, left: Evaluator, right: Evaluator): Evaluator {
  switch (name) {
    case "_+_":
      return (frame) => checkedInteger((left(frame) as number) + (right(frame) as number));
    case "_-_":
      return (frame) => checkedInteger((left(frame) as number) - (right(frame) as number));
    case "_*_":
      return (frame) => checkedInteger((left(frame) as number) * (right(frame) as number));
    case "_/_":
      return (frame) => {
        const divisor = right(frame) as number;
        const dividend = left(frame) as number;
        if (divisor === 0) throw new CelEvaluationError("division by zero");
        return checkedInteger(Math.trunc(dividend / divisor));
      };
    default:
      return (frame) => {
        const divisor = right(frame) as number;
        const dividend = left(frame) as number;
        if (divisor === 0) throw new CelEvaluationError("modulus by zero");
        return checkedInteger(dividend % divisor);
      };
  }
}

function doubleArithmetic(name: string, left: Evaluator, right: Evaluator): Evaluator {
  switch (name) {
    case "_+_":
      return (frame) => (left(frame) as number) + (right(frame) as number);
    case "_-_":
      return (frame) => (left(frame) as number) - (right(frame) as number);
    case "_*_":
      return (frame) => (left(frame) as number) * (right(frame) as number);
    default:
      return (frame) => (left(frame) as number) / (right(frame) as number);
  }
}

function conditional(condition: Evaluator, whenTrue: Evaluator, whenFalse: Evaluator): Evaluator {
  return (frame) => (condition(frame) ? whenTrue(frame) : whenFalse(frame));
}

function membership(element: Evaluator, list: Evaluator, budget: Budget): Evaluator {
  return (frame) => {
    const value = element(frame);
    const candidates = list(frame) as unknown[];
    spend(budget, candidates.length);
    return candidates.some((candidate) => celEquals(candidate, value, budget));
  };
}

function indexList(list: Evaluator, index: Evaluator): Evaluator {
  return (frame) => {
    const items = list(frame) as unknown[];
    const position = index(frame) as number;
    if (position < 0 || position >= items.length)
      throw new CelEvaluationError(`index ${position} out of range`);
    return items[position];
  };
}

function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

function stringTest(name: string, receiver: Evaluator, argument: Evaluator): Evaluator {
  if (name === "contains") return (frame) => (receiver(frame) as string).includes(argument(frame) as string);
  if (name === "startsWith")
    return (frame) => (receiver(frame) as string).startsWith(argument(frame) as string);
  return (frame) => (receiver(frame) as string).endsWith(argument(frame) as string);
}

function conversion(name: string, operand: Node): Node | undefined {
  const run = operand.run;
  const from = operand.type.kind;
  if (name === "int" && (from === "int" || from === "double")) {
    return {
      type: INT,
      run: (frame) => {
        const value = run(frame) as number;
        if (!Number.isFinite(value)) throw new CelEvaluationError("int() of a non-finite double");
        return checkedInteger(Math.trunc(value));
      },
    };
  }
  if (name === "double" && (from === "int" || from === "double")) return { type: DOUBLE, run };
  if (name === "string" && (from === "string" || from === "int" || from === "bool")) {
    return { type: STRING, run: (frame) => String(run(frame)) };
  }
  return undefined;
}
