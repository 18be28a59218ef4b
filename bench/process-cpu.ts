import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// CPU time of processes and of the whole machine from /proc (Linux; elsewhere the figures are
// left out): on a shared machine CPU time is a steadier figure than wall time.

/** Clock ticks per second of /proc's counters (USER_HZ, 100 on Linux). */
export const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU seconds used so far by the PostgreSQL server of a cluster directory: the postmaster, its
 * live children, and (through cutime/cstime) the children it has already reaped. Undefined where
 * /proc is unavailable.
 */
export function postgresCpuSeconds(clusterDir: string): number | undefined {
  try {
    const postmaster = Number(
      fs.readFileSync(path.join(clusterDir, "postmaster.pid"), "utf8").split("\n")[0],
    );
    let ticks = 0;
    for (const entry of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = readProcessStat(Number(entry));
      if (stat === undefined) continue;
      if (stat.pid === postmaster) ticks += stat.utime + stat.stime + stat.cutime + stat.cstime;
      else if (stat.parent === postmaster) ticks += stat.utime + stat.stime;
    }
    return ticks / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** A process's parent and CPU ticks (its own, and its reaped children's), or undefined once it has ended. */
export function readProcessStat(pid: number) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return {
      pid,
      parent: Number(fields[1]),
      utime: Number(fields[11]),
      stime: Number(fields[12]),
      cutime: Number(fields[13]),
      cstime: Number(fields[14]),
    };
  } catch {
    return undefined;
  }
}

/** Load average over the last minute divided by cores: above 1, timings are inflated by others. */
export function machineLoad(): number {
  return Number((os.loadavg()[0]! / os.cpus().length).toFixed(2));
}

/** CPU seconds the whole machine spent busy (all processes), or undefined without /proc. */
export function machineBusySeconds(): number | undefined {
  if (!fs.existsSync("/proc/stat")) return undefined;
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
