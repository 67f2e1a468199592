/**
 * Starts the local AWS emulator (moto, see test/emulator/moto_server.py) on a
 * free loopback port. Fails loudly when python3 or moto is missing: tests
 * that need it are never skipped.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

// Beside this file in test/, or from the bench's compiled copy in dist/test/helpers.
const SCRIPT = [
  new URL("../emulator/moto_server.py", import.meta.url),
  new URL("../../../test/emulator/moto_server.py", import.meta.url),
]
  .map((u) => fileURLToPath(u))
  .find((p) => existsSync(p))!;

export interface Emulator {
  endpoint: string;
  port: number;
  /** With `tls`: the HTTPS endpoint and the certificate to trust (NODE_EXTRA_CA_CERTS, AWS_CA_BUNDLE). */
  tls?: { endpoint: string; port: number; cert: string };
  /** Environment for the AWS SDK and CLI pointed at the emulator. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export const EMULATOR_ACCOUNT = "123456789012";

/** `env` reaches the emulator process (CLE_CLOUDTRAIL_PUBLIC_KEYS, CLE_CLOUDTRAIL_STATUS: see moto_server.py). */
export async function startEmulator(opts: { env?: Record<string, string>; tls?: boolean } = {}): Promise<Emulator> {
  const python = process.env.PYTHON ?? "python3";
  const tlsEnv: Record<string, string> = opts.tls
    ? {
        CLE_TLS_PORT: "0",
        CLE_TLS_CERT: join(
          tmpdir(),
          `cle-emulator-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.pem`,
        ),
      }
    : {};
  const child: ChildProcess = spawn(python, [SCRIPT], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, ...tlsEnv, ...opts.env },
  });
  let tls: Emulator["tls"];
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not start within 30 s\n${stderr}`)), 30_000);
    child.once("error", (e) => reject(new Error(`cannot run ${python} (needed for the moto emulator): ${e.message}`)));
    child.once("exit", (code) =>
      reject(
        new Error(
          `emulator exited with ${code} before it was ready (is moto installed? pip install 'moto[server]')\n${stderr}`,
        ),
      ),
    );
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const t = /^TLS (\d+) (.+)$/.exec(line);
      if (t) tls = { endpoint: `https://127.0.0.1:${t[1]}`, port: Number(t[1]), cert: t[2]! };
      const m = /^READY (\d+)$/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
  });
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    port,
    ...(tls ? { tls } : {}),
    env: {
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL: endpoint,
      AWS_EC2_METADATA_DISABLED: "true",
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.stdin!.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
