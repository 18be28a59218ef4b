// CPU time per thread of this process, from /proc (Linux; elsewhere the
// figures are left out). Worker threads are gone by the time a run returns, so their counters are
// sampled while it runs: each thread's last reading is its CPU time, to within the interval.
import fs from "node:fs";
import { CLOCK_TICKS_PER_SECOND } from "../process-cpu.ts";

const TASKS = "/proc/self/task";

/** CPU seconds of each thread seen, busiest first; `main` marks the thread that runs the event loop. */
export interface ThreadCpu {
  readonly thread: number;
  readonly main: boolean;
  readonly seconds: number;
}

/** Starts sampling this process's threads; `stop` gives what each used since the start (null without /proc). */
export function sampleThreadCpu(intervalMs = 200): { stop(): ThreadCpu[] | null } {
  if (!fs.existsSync(TASKS)) return { stop: () => null };
  const first = readThreads();
  const last = new Map(first);
  const sample = () => {
    for (const [thread, ticks] of readThreads()) last.set(thread, ticks);
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return [...last]
        .map(([thread, ticks]) => ({
          thread,
          main: thread === process.pid,
          seconds: (ticks - (first.get(thread) ?? 0)) / CLOCK_TICKS_PER_SECOND,
        }))
        .filter((entry) => entry.seconds > 0)
        .sort((a, b) => b.seconds - a.seconds);
    },
  };
}

/** User plus system ticks of each thread now. */
function readThreads(): Map<number, number> {
  const threads = new Map<number, number>();
  for (const name of fs.readdirSync(TASKS)) {
    try {
      const stat = fs.readFileSync(`${TASKS}/${name}/stat`, "utf8");
      // Fields after the command name (which may hold spaces) end at ")"; utime and stime are 14th and 15th.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      threads.set(Number(name), Number(fields[11]) + Number(fields[12]));
    } catch {
      // The thread ended between listing and reading.
    }
  }
  return threads;
}
