// Preloaded with `node --import` by loaded-modules.ts: records the URL of every module the
// process resolves (through any loader registered after it) in the file RECORD_MODULES_FILE.
import { register } from "node:module";

register("./record-modules-hooks.mjs", import.meta.url, { data: { file: process.env.RECORD_MODULES_FILE } });
