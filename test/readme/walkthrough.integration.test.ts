/**
 * The README's local-emulator walk-through, run as written: its shell block, in a fresh folder,
 * against the test emulator. Three things differ from a reader's terminal, each stated here:
 * the emulator's port (the test's own), `npx cloudsmith-log-export` (this build, not the
 * registry), and `terraform init`'s provider source (the local mirror, as TF_CLI_ARGS_init).
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN } from "../helpers/cli.js";
import { type Emulator, startEmulator } from "../helpers/emulator.js";
import { providerMirror } from "../helpers/terraform.js";

const run = promisify(execFile);
const README = join(import.meta.dirname, "..", "..", "README.md");
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ tls: true });
}, 60_000);
afterAll(() => emulator?.stop());

function walkthrough(): string {
  const text = readFileSync(README, "utf8");
  const block = /<!-- walkthrough:start -->\n```sh\n([\s\S]*?)```\n<!-- walkthrough:end -->/.exec(text);
  if (!block) throw new Error("README.md has no walkthrough block");
  return block[1]!;
}

describe("the README's emulator walk-through", () => {
  it("runs as written: init, terraform apply, verify passes, a plain-HTTP upload is refused, investigate finds the download", async () => {
    const script = walkthrough();
    expect(script).toContain("export EMULATOR=http://127.0.0.1:4566");
    const dir = await mkdtemp(join(tmpdir(), "cle-walk-"));
    const shim = `set -e\nnpx() { if [ "$1" = cloudsmith-log-export ]; then shift; node ${JSON.stringify(BIN)} "$@"; else command npx "$@"; fi; }\n`;
    const env: Record<string, string | undefined> = {
      ...process.env,
      NO_COLOR: "1",
      CHECKPOINT_DISABLE: "1",
      TF_CLI_ARGS_init: `-plugin-dir=${providerMirror()}`,
      AWS_ENDPOINT_URL: undefined,
      AWS_PROFILE: undefined,
      AWS_EC2_METADATA_DISABLED: "true",
    };
    const { stdout } = await run(
      "bash",
      [
        "-c",
        shim +
          script
            .replace("127.0.0.1:4566", `127.0.0.1:${emulator.port}`)
            .replace("127.0.0.1:4567", `127.0.0.1:${emulator.tls!.port}`)
            .replaceAll('"${TMPDIR:-/tmp}/cloudsmith-log-export-emulator.pem"', JSON.stringify(emulator.tls!.cert)),
      ],
      {
        cwd: dir,
        env: env as NodeJS.ProcessEnv,
        maxBuffer: 64 << 20,
      },
    );
    expect(stdout).toMatch(/Apply complete! Resources: 9 added/);
    const summary = /^(\d+) passed, 0 failed, 0 errors, 5 skipped, 2 recommendations$/m.exec(stdout);
    expect(summary, stdout.slice(-3000)).not.toBeNull();
    expect(readFileSync(README, "utf8")).toContain(`\`verify\` ends with \`${summary![0]}\``);
    expect(stdout).toContain("refused: the bucket policy denies requests without TLS (aws:SecureTransport)");
    // It ends with the investigation finding the download it made, over TLS.
    expect(script).toContain("investigate --package npm:lodash@4.17.20");
    const table = stdout.slice(stdout.lastIndexOf("recommendations"));
    expect(table).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}\s+cs\s+4\.17\.20\s+user:ci-bot\s+203\.0\.113\.7/);
    expect(table).toMatch(/1 request\(s\) for npm:lodash@4\.17\.20/);
  }, 180_000);
});
