export * from "./worker-linkage-helper.ts";
