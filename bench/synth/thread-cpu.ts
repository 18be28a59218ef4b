// CPU time per thread of this process, and of the whole machine, from /proc (Linux; elsewhere the
// figures are left out). Worker threads are gone by the time a run returns, so their counters are
// sampled while it runs: each thread's last reading is its CPU time, to within the interval.
import fs from "node:fs";

/** Clock ticks per second of /proc's counters (USER_HZ, 100 on Linux). */
const CLOCK_TICKS_PER_SECOND = 100;
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

/** CPU seconds the whole machine spent busy (all processes), or null without /proc. */
export function machineBusySeconds(): number | null {
  if (!fs.existsSync("/proc/stat")) return null;
  const ticks = fs
    .readFileSync("/proc/stat", "utf8")
    .split("\n")[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return (ticks.reduce((total, value) => total + value, 0) - idle) / CLOCK_TICKS_PER_SECOND;
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
