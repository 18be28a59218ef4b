/// <reference lib="dom" />
// bench/web: the worklist's virtualised table in Debian's headless Chromium at 100,000 rows —
// first render time, and frame times while scrolling (steady wheel-like scrolling and long
// jumps). Prints the figures and writes bench/results/web.json.
//   npx tsx bench/web/run.ts [--rows 100000] [--frames 600]
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import react from "@vitejs/plugin-react";
import { build } from "vite";
import { launchChromium } from "../../packages/web/e2e/harness/chromium.ts";
import { percentileOf } from "../percentile.ts";

declare global {
  interface Window {
    /** Set by the harness page once the first frame with rows is painted. */
    benchFirstRenderMs?: number;
  }
}

const root = path.resolve(import.meta.dirname, "../..");
const { values } = parseArgs({
  options: { rows: { type: "string", default: "100000" }, frames: { type: "string", default: "600" } },
});
const rows = Number(values.rows);
const frames = Number(values.frames);
if (!Number.isInteger(rows) || rows < 1)
  throw new Error(`--rows must be a positive integer, got ${values.rows}`);
if (!Number.isInteger(frames) || frames < 10)
  throw new Error(`--frames must be an integer >= 10, got ${values.frames}`);

function percentile(sorted: readonly number[], fraction: number): number {
  return percentileOf(sorted, fraction) ?? Number.NaN;
}

function summarise(deltas: readonly number[]) {
  const sorted = [...deltas].sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    frames: sorted.length,
    p50Ms: round(percentile(sorted, 0.5)),
    p95Ms: round(percentile(sorted, 0.95)),
    maxMs: round(sorted[sorted.length - 1] ?? Number.NaN),
    over50Ms: sorted.filter((value) => value > 50).length,
  };
}

const MIME: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };

async function main() {
  const outDir = await mkdtemp(path.join(os.tmpdir(), "passage-bench-web-"));
  await build({
    root: path.join(import.meta.dirname, "harness"),
    base: "/",
    logLevel: "warn",
    configFile: false,
    plugins: [react()],
    build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  });
  const server = http.createServer(async (request, response) => {
    const file = path.join(
      outDir,
      path.normalize(new URL(request.url ?? "/", "http://x").pathname).replace(/^\/$/, "/index.html"),
    );
    if (!file.startsWith(outDir)) return void response.writeHead(403).end();
    try {
      const body = await readFile(file);
      response
        .writeHead(200, { "content-type": MIME[path.extname(file)] ?? "application/octet-stream" })
        .end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    const chromiumVersion = browser.context.browser()?.version() ?? "unknown";
    await page.goto(`http://127.0.0.1:${port}/?rows=${rows}`);
    await page.waitForFunction(() => window.benchFirstRenderMs !== undefined, undefined, {
      timeout: 120_000,
    });
    const firstRenderMs = await page.evaluate(() => window.benchFirstRenderMs!);
    const renderedRows = await page.locator("tbody tr[data-index]").count();

    // Steady scrolling: 3 rows per frame downward, as a fast mouse wheel does.
    const steady = await page.evaluate(async (count) => {
      const scroller = document.querySelector<HTMLElement>("[data-testid=virtual-table-scroller]")!;
      const deltas: number[] = [];
      let last = performance.now();
      for (let frame = 0; frame < count; frame++) {
        scroller.scrollTop += 108;
        await new Promise((resolve) => requestAnimationFrame(resolve));
        const now = performance.now();
        deltas.push(now - last);
        last = now;
      }
      return deltas;
    }, frames);

    // Long jumps: anywhere in the list, as dragging the scroll bar does; each must paint rows.
    const jumps = await page.evaluate(
      async (count) => {
        const scroller = document.querySelector<HTMLElement>("[data-testid=virtual-table-scroller]")!;
        const deltas: number[] = [];
        let seed = 12345;
        for (let jump = 0; jump < count; jump++) {
          seed = (seed * 1103515245 + 12345) % 2147483648;
          const started = performance.now();
          scroller.scrollTop = (seed / 2147483648) * (scroller.scrollHeight - scroller.clientHeight);
          await new Promise((resolve) => requestAnimationFrame(resolve));
          await new Promise((resolve) => requestAnimationFrame(resolve));
          deltas.push((performance.now() - started) / 2);
        }
        return deltas;
      },
      Math.max(10, Math.floor(frames / 10)),
    );
    const stillRows = await page.locator("tbody tr[data-index]").count();
    if (stillRows === 0) throw new Error("no rows rendered after scrolling");

    const result = {
      benchmark: "web worklist table",
      rows,
      viewport: "1280x800",
      chromium: chromiumVersion,
      firstRenderMs: Math.round(firstRenderMs * 10) / 10,
      renderedRows,
      steadyScroll: summarise(steady),
      jumpScroll: summarise(jumps),
      measuredAt: new Date().toISOString(),
      machine: {
        cores: os.cpus().length,
        loadAverage: os.loadavg().map((value) => Math.round(value * 100) / 100),
      },
      note: "frame times are requestAnimationFrame intervals in headless Chromium (about 16.7 ms at 60 Hz when nothing is slow); jump frames are half the two-frame time to paint rows at a random offset",
    };
    console.log(
      `rows=${rows} first_render_ms=${result.firstRenderMs} steady_p50_ms=${result.steadyScroll.p50Ms} steady_p95_ms=${result.steadyScroll.p95Ms} jump_p50_ms=${result.jumpScroll.p50Ms} jump_p95_ms=${result.jumpScroll.p95Ms} frames_over_50ms=${result.steadyScroll.over50Ms + result.jumpScroll.over50Ms}`,
    );
    await mkdir(path.join(root, "bench/results"), { recursive: true });
    await writeFile(path.join(root, "bench/results/web.json"), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await browser.close();
    server.close();
    await rm(outDir, { recursive: true, force: true });
  }
}

await main();
