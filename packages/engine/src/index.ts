export * from "./app/config.ts";
export * from "./app/create-app.ts";
export * from "./consumers/index.ts";
export * from "./scale-out/index.ts";
