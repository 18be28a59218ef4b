/** Every naming culture the generator draws names from. */
export * from "./african-cultures.ts";
export * from "./caribbean-cultures.ts";
export * from "./east-asian-cultures.ts";
export * from "./european-cultures.ts";
export * from "./iberian-cultures.ts";
export * from "./middle-eastern-cultures.ts";
export * from "./slavic-cultures.ts";
export * from "./south-asian-cultures.ts";
