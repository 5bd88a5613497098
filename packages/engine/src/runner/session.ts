// Ending a run at once, all of it. The worker forks the engine process detached, which makes it
// the leader of a session and of a process group. The pulumi CLI it starts joins both, but the CLI
// starts each plugin (language host, providers) in a process group of its own, so that a
// terminal's Ctrl-C reaches only the CLI: a plugin outlives a killed group, and orphaned, it runs
// on forever. The plugins stay in the engine's session, though. No system call signals a session,
// so its members are found in /proc (Linux, where Gantry runs; elsewhere the list is empty and
// only the group is killed).
import { readdirSync, readFileSync } from "node:fs";

/** The living processes of session `sid`, this process excepted. */
function sessionMembers(sid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const members: number[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      // pid (comm) state ppid pgrp session …; comm may hold spaces, so read after its last ")".
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const [state, , , session] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(session) === sid && state !== "Z") members.push(pid);
    } catch {
      // It ended while we looked.
    }
  }
  return members;
}

/**
 * SIGKILLs every process of session `sid` and of its leader's group. Used by the engine on itself
 * when its worker is gone, and by the worker on an engine whose run it no longer owns.
 */
export function killSession(sid: number): void {
  // A CLI still running may start a plugin between a look and the kill: look again until none is
  // left (the CLI dies in the first round, so a second one finds at most what it had just started).
  for (let round = 0; round < 5; round += 1) {
    const members = sessionMembers(sid);
    if (members.length === 0) break;
    for (const pid of members) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }
  try {
    process.kill(-sid, "SIGKILL");
  } catch {
    // The group is gone already.
  }
}

/** SIGKILLs every process of this process's session and group, this one last. */
export function killOwnSession(): never {
  killSession(process.pid);
  // Unreachable: the group's SIGKILL includes this process.
  process.exit(137);
}
