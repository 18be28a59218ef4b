import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/**
 * CPU seconds used so far by the PostgreSQL server of a cluster directory: the postmaster, its
 * live children, and (through cutime/cstime) the children it has already reaped. On a shared
 * machine CPU time is a steadier figure than wall time. Undefined where /proc is unavailable.
 */
export function postgresCpuSeconds(clusterDir: string): number | undefined {
  try {
    const postmaster = Number(
      fs.readFileSync(path.join(clusterDir, "postmaster.pid"), "utf8").split("\n")[0],
    );
    let ticks = 0;
    for (const entry of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = readStat(Number(entry));
      if (stat === undefined) continue;
      if (stat.pid === postmaster) ticks += stat.utime + stat.stime + stat.cutime + stat.cstime;
      else if (stat.parent === postmaster) ticks += stat.utime + stat.stime;
    }
    return ticks / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

function readStat(pid: number) {
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
