export * from "./app/config.ts";
export * from "./app/create-app.ts";
