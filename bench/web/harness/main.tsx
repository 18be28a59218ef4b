import { createRoot } from "react-dom/client";
import "../../../packages/web/src/design/design.css";
import type { WorklistEntry } from "../../../packages/web/src/pages/worklists/worklist-entry.ts";
import { WorklistTable } from "../../../packages/web/src/pages/worklists/worklist-table.tsx";

/**
 * The worklist page's table alone, fed `?rows=N` entries held in memory, so the benchmark
 * measures rendering and scrolling, not the network or the database.
 */
const rows = Number(new URLSearchParams(location.search).get("rows") ?? "100000");
const labels = ["Recent entrant, final order", "Final order, conviction", "Final order", "Other final order"];
const entries: WorklistEntry[] = Array.from({ length: rows }, (_, index) => {
  const tier = 1 + Math.floor((index * 4) / rows);
  return {
    personId: `P-${(1_000_000 + index).toString(36).toUpperCase()}-${(index * 7919) % 9973}`,
    tier,
    tierLabel: labels[tier - 1] ?? "",
    policyTier: tier,
    policyTierLabel: labels[tier - 1] ?? "",
    score: 1000 - (index * 1000) / rows,
    orderFinalDate: `20${10 + (index % 15)}-${String(1 + (index % 12)).padStart(2, "0")}-${String(1 + (index % 28)).padStart(2, "0")}`,
    policyVersion: "2025.1",
    overridden: index % 997 === 0,
  };
});

declare global {
  interface Window {
    benchFirstRenderMs?: number;
  }
}

const root = document.getElementById("root")!;
const started = performance.now();
createRoot(root).render(<WorklistTable total={rows} entryAt={(index) => entries[index]} />);
// First render: from the render call to the first frame painted with rows in it.
function waitForRows() {
  if (document.querySelector("tbody tr[data-index]")) {
    requestAnimationFrame(() => {
      window.benchFirstRenderMs = performance.now() - started;
    });
  } else requestAnimationFrame(waitForRows);
}
requestAnimationFrame(waitForRows);
