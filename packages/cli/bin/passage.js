#!/usr/bin/env node
// The `passage` command. Passage is written in TypeScript and runs from its sources through
// tsx's loader, so no build step is needed after `npm ci`.
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
