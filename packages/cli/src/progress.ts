import cliProgress from "cli-progress";

/** Progress of long work, on stderr: a bar on a terminal, a line every few seconds otherwise. */
export interface Progress {
  update(done: number, total?: number): void;
  stop(): void;
}

const PLAIN_INTERVAL_MS = 5_000;

export function createProgress(
  label: string,
  unit: string,
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate}/s | eta {eta_formatted}`,
        stream,
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    const started = Date.now();
    let running = false;
    return {
      update(done, total) {
        const rate = Math.round(done / Math.max(0.001, (Date.now() - started) / 1000));
        if (!running) {
          bar.start(total ?? 0, done, { rate });
          running = true;
        }
        if (total !== undefined) bar.setTotal(total);
        bar.update(done, { rate });
      },
      stop() {
        if (running) bar.stop();
      },
    };
  }
  let lastPrinted = Date.now();
  return {
    update(done, total) {
      if (Date.now() - lastPrinted < PLAIN_INTERVAL_MS) return;
      lastPrinted = Date.now();
      stream.write(`${label}: ${done}${total ? `/${total}` : ""} ${unit}\n`);
    },
    stop() {},
  };
}
