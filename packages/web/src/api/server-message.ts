/**
 * The server's error sentences are written for the API's users (field paths, schema wording, the
 * access layer's `User:x may not person.read Person P-1`); these turn the common shapes into
 * sentences for a person at the screen, and leave every other sentence as it is.
 */

const PARTS = "(?:body|querystring|params|headers)";
const FIELD_PROBLEM = new RegExp(`^${PARTS}:\\s*(/\\S*)\\s+(.+)$`, "i");
// The resource id may be blank (an address naming a blank person id): the sentence then ends at the type.
const DENIAL = /^\S+ may not ([a-z_]+)\.([a-z_]+) (\S+?)(?:\s+(.*?))?\.?$/;

function capitalise(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}

/** `/documents/0/issuer` → `Documents 1, issuer`. */
function fieldLabel(path: string): string {
  const steps = path
    .split("/")
    .filter(Boolean)
    .map((step) => (/^\d+$/.test(step) ? String(Number(step) + 1) : step.replaceAll("_", " ")));
  return capitalise(
    steps.join(", ").replace(/([a-z])([A-Z])/g, (_, a: string, b: string) => `${a} ${b.toLowerCase()}`),
  );
}

/** Schema wording (zod) as plain words. */
function plainProblem(problem: string): string {
  const rules: [RegExp, (match: RegExpMatchArray) => string][] = [
    [/^Too small: expected string to have >=1 characters?$/i, () => "must not be empty"],
    [
      /^Too small: expected string to have >=(\d+) characters?$/i,
      (m) => `must be at least ${m[1]} characters`,
    ],
    [/^Too big: expected string to have <=(\d+) characters?$/i, (m) => `must be at most ${m[1]} characters`],
    [/^Too small: expected number to be >=(\S+)$/i, (m) => `must be at least ${m[1]}`],
    [/^Too big: expected number to be <=(\S+)$/i, (m) => `must be at most ${m[1]}`],
    [/^Too big: expected array to have <=(\d+) items?$/i, (m) => `may list at most ${m[1]}`],
    [/^Invalid input: expected \w+, received undefined$/i, () => "is required"],
    [/^Invalid option: expected one of (.+)$/i, (m) => `must be one of ${m[1]!.replaceAll('"', "")}`],
  ];
  for (const [pattern, say] of rules) {
    const match = problem.match(pattern);
    if (match) return say(match);
  }
  return problem;
}

function readableFieldProblem(piece: string): string {
  const match = piece.trim().match(FIELD_PROBLEM);
  if (!match) return piece.trim();
  const [, path, problem] = match;
  const label = fieldLabel(path!);
  const plain = plainProblem(problem!.trim());
  // A check of the whole body or query (`/ from must not be after to`) is a sentence already.
  return label ? `${label}: ${plain}` : capitalise(plain);
}

/**
 * A server error message as a person reads it. A refusal by the access layer says what was refused
 * without the access vocabulary, and — since a missing record and one out of reach are refused
 * alike, so that a refusal tells nothing of existence — that it may not exist.
 */
export function readableServerMessage(message: string): string {
  const trimmed = message.trim();
  const denial = trimmed.match(DENIAL);
  if (denial) {
    const [, , verb, resourceType, resourceId] = denial;
    const what = verb === "read" ? "see" : verb!.replaceAll("_", " ");
    // `RedressRequest` → `redress request`, `Person` → `person`.
    const kind = resourceType!.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
    const named = resourceId?.trim() ? `${kind} ${resourceId.trim()}` : `a ${kind} with a blank id`;
    return `You may not ${what} ${named}: it does not exist, or it is outside what your role and office may ${what}`;
  }
  if (!new RegExp(`^${PARTS}:`, "i").test(trimmed)) return trimmed;
  return trimmed
    .split(/;\s+(?=[a-z]+:\s*\/)/i)
    .map(readableFieldProblem)
    .join("; ");
}

/** A policy check's problem (`{ file, line, ruleId, field, message }`) as one line. */
export function readablePolicyProblem(problem: unknown): string {
  if (typeof problem === "string") return problem;
  if (typeof problem !== "object" || problem === null) return String(problem);
  const { line, ruleId, field, message } = problem as Record<string, unknown>;
  const place = [
    typeof line === "number" ? `Line ${line}` : "",
    typeof ruleId === "string" ? `rule “${ruleId}”` : "",
    typeof field === "string" && field ? `field ${field}` : "",
  ]
    .filter(Boolean)
    .join(", ");
  const said = typeof message === "string" ? message : JSON.stringify(problem);
  return place ? `${place}: ${said}` : said;
}
