import type { Actor } from "@passage/access";

/** The transport planner of the transport tests: HQ, every office's cases, no confidentiality need. */
export const PLANNER: Actor = {
  kind: "user",
  id: "planner",
  roles: ["transport_planner"],
  office: "HQ",
  confidentialityNeeds: [],
  country: "",
};
