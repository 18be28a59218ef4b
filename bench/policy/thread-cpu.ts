import { openSync, readFileSync, readSync } from "node:fs";

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** This thread's /proc/thread-self/schedstat, opened once per thread; null where there is none. */
let schedstat: number | null | undefined;
const schedstatText = Buffer.alloc(128);

/**
 * This thread's CPU time in milliseconds: Node 22+ has `process.threadCpuUsage`; on Node 20 the
 * calling thread's /proc/thread-self/schedstat says it in nanoseconds (Linux; read through a
 * descriptor kept open, since the benchmark asks twice per chunk and /proc/thread-self/stat
 * counts only 10 ms ticks, coarser than a chunk); else its stat; elsewhere the process's time,
 * which is the thread's only when nothing else runs.
 */
export function threadCpuMilliseconds(): number {
  const threadUsage = (process as unknown as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage;
  if (threadUsage !== undefined) {
    const usage = threadUsage.call(process);
    return (usage.user + usage.system) / 1000;
  }
  if (schedstat === undefined) {
    try {
      // /proc/thread-self resolves when opened: each thread (worker) opens its own.
      schedstat = openSync("/proc/thread-self/schedstat", "r");
    } catch {
      schedstat = null;
    }
  }
  if (schedstat !== null) {
    const length = readSync(schedstat, schedstatText, 0, schedstatText.length, 0);
    // The first field is the time the thread has run on a CPU, in nanoseconds.
    const text = schedstatText.toString("latin1", 0, length);
    return Number(text.slice(0, text.indexOf(" "))) / 1e6;
  }
  try {
    const stat = readFileSync("/proc/thread-self/stat", "utf8");
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  }
}
