/**
 * A real terminal for end-to-end wizard runs: tmux on a private socket,
 * keys sent with send-keys, the screen read with capture-pane.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export class TmuxSession {
  private constructor(
    private readonly socket: string,
    private readonly name: string,
    private readonly statusFile: string,
  ) {}

  /** `width`: the terminal's columns (default 160). */
  static async start(
    command: string,
    opts: { cwd: string; env?: Record<string, string>; width?: number },
  ): Promise<TmuxSession> {
    const socket = `cle-test-${process.pid}-${Date.now()}`;
    const env = Object.entries(opts.env ?? {}).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
    // The exit status goes to a file: a tmux server started from a Node worker may inherit an ignored
    // SIGCHLD, and then tmux itself never learns how the command ended.
    const statusFile = join(mkdtempSync(join(tmpdir(), "cle-tmux-")), "exit-status");
    const wrapped = `${command}; echo $? > ${statusFile}`;
    try {
      await run("tmux", [
        "-L",
        socket,
        "-f",
        "/dev/null",
        "new-session",
        "-d",
        "-x",
        String(opts.width ?? 160),
        "-y",
        "50",
        "-s",
        "main",
        "-c",
        opts.cwd,
        ...env,
        wrapped,
      ]);
    } catch (e) {
      if ((e as { code?: string }).code === "ENOENT")
        throw new Error("tmux is not installed: the terminal end-to-end test needs it (apt-get install tmux)");
      throw e;
    }
    await run("tmux", ["-L", socket, "set-option", "-t", "main", "remain-on-exit", "on"]);
    return new TmuxSession(socket, "main", statusFile);
  }

  async screen(): Promise<string> {
    const { stdout } = await run("tmux", [
      "-L",
      this.socket,
      "capture-pane",
      "-p",
      "-J",
      "-S",
      "-200",
      "-t",
      this.name,
    ]);
    return stdout;
  }

  /** Polls the screen until it matches, up to `timeoutMs`. */
  async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = "";
    while (Date.now() < deadline) {
      last = await this.screen();
      if (pattern.test(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${pattern}; screen:\n${last}`);
  }

  async keys(...keys: string[]): Promise<void> {
    await run("tmux", ["-L", this.socket, "send-keys", "-t", this.name, ...keys]);
  }

  async type(text: string): Promise<void> {
    await run("tmux", ["-L", this.socket, "send-keys", "-t", this.name, "-l", text]);
  }

  /** Exit status of the command, once it has finished. */
  async exitCode(timeoutMs = 15_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (existsSync(this.statusFile)) {
        const text = readFileSync(this.statusFile, "utf8").trim();
        if (text !== "") return Number(text);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("command did not exit");
  }

  async kill(): Promise<void> {
    await run("tmux", ["-L", this.socket, "kill-server"]).catch(() => undefined);
  }
}
