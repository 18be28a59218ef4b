import loadHighs, { type Highs } from "highs";

/** A mixed-integer program in row form (CSR), minimised. */
export interface MixedIntegerProgram {
  readonly columnCost: number[];
  readonly columnLower: number[];
  readonly columnUpper: number[];
  readonly integer: boolean[];
  /** Constant added to the objective, so the reported objective is the plan's full cost. */
  readonly offset: number;
  readonly rowLower: number[];
  readonly rowUpper: number[];
  /** Row i holds entries rowStarts[i]..rowStarts[i+1] of rowColumns/rowValues. */
  readonly rowStarts: number[];
  readonly rowColumns: number[];
  readonly rowValues: number[];
}

/** What the solver reports about one solve. */
export interface SolverReport {
  readonly solver: string;
  /** HiGHS model status, e.g. `optimal`, `timeLimit`. */
  readonly status: string;
  readonly objective: number;
  readonly dualBound: number;
  /** Relative optimality gap as HiGHS computes it (0 when proved optimal). */
  readonly gap: number;
  readonly columns: number;
  readonly rows: number;
  readonly runtimeMilliseconds: number;
}

export interface SolveResult {
  readonly report: SolverReport;
  /** Column values, or null when the solver found no feasible solution. */
  readonly values: Float64Array | null;
}

/** How long the solver may search, and the gap at which it may stop. */
export interface SolveOptions {
  readonly relativeGap: number;
  readonly timeLimitSeconds: number;
}

/**
 * A MIP solver. Asynchronous, so that a solve can run off the caller's thread: a solve may take
 * its whole time limit (up to 300 s), and the server's event loop must not wait on it.
 */
export interface MipSolver {
  solve(program: MixedIntegerProgram, options: SolveOptions): Promise<SolveResult>;
}

/**
 * Loads the HiGHS WebAssembly solver in this thread: each solve blocks the thread for its
 * duration. For scripts and benchmarks; the server and the command line solve in a worker
 * thread (`createWorkerHighsSolver`).
 */
export async function loadHighsSolver(): Promise<MipSolver> {
  const highs = await loadHighs();
  return { solve: async (program, options) => solveWithHighs(highs, program, options) };
}

function statusName(highs: Highs, code: number): string {
  const entry = Object.entries(highs.constants.modelStatus).find(([, value]) => value === code);
  return entry ? entry[0] : `status ${code}`;
}

function solveWithHighs(highs: Highs, program: MixedIntegerProgram, options: SolveOptions): SolveResult {
  const columns = program.columnCost.length;
  const rows = program.rowLower.length;
  const version = `HiGHS ${highs.version.string}`;
  if (columns === 0) {
    const report = {
      solver: version,
      status: "empty",
      objective: program.offset,
      dualBound: program.offset,
      gap: 0,
      columns,
      rows,
      runtimeMilliseconds: 0,
    };
    return { report, values: new Float64Array(0) };
  }
  const started = performance.now();
  const model = highs.createModel({
    numCols: columns,
    numRows: rows,
    offset: program.offset,
    colCost: program.columnCost,
    colLower: program.columnLower,
    colUpper: program.columnUpper,
    rowLower: program.rowLower,
    rowUpper: program.rowUpper,
    matrix: {
      format: "csr",
      numRows: rows,
      numCols: columns,
      starts: program.rowStarts,
      indices: program.rowColumns,
      values: program.rowValues,
    },
    integrality: program.integer.map((isInteger) =>
      isInteger ? highs.constants.variableType.integer : highs.constants.variableType.continuous,
    ),
  });
  try {
    model.options.set({
      output_flag: false,
      mip_rel_gap: options.relativeGap,
      time_limit: options.timeLimitSeconds,
      random_seed: 1, // deterministic branch-and-bound for replayable plans
    });
    model.run();
    const code = model.getModelStatus();
    const status = statusName(highs, code);
    const hasSolution = Number(model.info.get("primal_solution_status")) === 2;
    const objective = hasSolution ? model.getObjectiveValue() : Number.NaN;
    const dualBound = Number(model.info.get("mip_dual_bound"));
    const gap = hasSolution ? Number(model.info.get("mip_gap")) : Number.POSITIVE_INFINITY;
    const report: SolverReport = {
      solver: version,
      status,
      objective,
      dualBound,
      gap,
      columns,
      rows,
      runtimeMilliseconds: performance.now() - started,
    };
    return { report, values: hasSolution ? model.getSolution().colValue : null };
  } finally {
    model.dispose();
  }
}
