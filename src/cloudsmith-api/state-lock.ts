/**
 * One pull per state file at a time: a lock file beside it, created
 * exclusively, holding the pid. A lock whose process is gone is taken over;
 * a live one stops the second pull with a clear message.
 */
import { constants } from "node:fs";
import { open, readFile, rm } from "node:fs/promises";

export class StateLocked extends Error {}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
};

/** Takes the lock on `stateFile`; returns the function that releases it. */
export async function lockState(stateFile: string): Promise<() => Promise<void>> {
  const lock = `${stateFile}.lock`;
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(lock, flags, 0o600);
      await fh.writeFile(`${process.pid}\n`);
      await fh.close();
      return () => rm(lock, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const pid = Number((await readFile(lock, "utf8").catch(() => "")).trim());
      if (Number.isInteger(pid) && pid > 0 && alive(pid))
        throw new StateLocked(
          `another pull (pid ${pid}) is using ${stateFile}: wait for it to finish, or remove ${lock} if it is not running`,
        );
      await rm(lock, { force: true }); // left by a pull that no longer runs
    }
  }
  throw new StateLocked(`could not take the lock ${lock}`);
}
