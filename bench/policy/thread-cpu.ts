import { readFileSync } from "node:fs";

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * This thread's CPU time in milliseconds: Node 22+ has `process.threadCpuUsage`; on Node 20 the
 * calling thread's /proc/thread-self/stat says it (Linux); elsewhere the process's time, which
 * is the thread's only when nothing else runs.
 */
export function threadCpuMilliseconds(): number {
  const threadUsage = (process as unknown as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage;
  if (threadUsage !== undefined) {
    const usage = threadUsage.call(process);
    return (usage.user + usage.system) / 1000;
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
