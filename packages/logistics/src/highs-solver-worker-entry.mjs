// Worker threads start without the TypeScript loader of the main thread: register it, then
// load the worker's sources (as bin/passage.js does for the CLI).
import { register } from "tsx/esm/api";

register();
await import("./highs-solver-worker.ts");
