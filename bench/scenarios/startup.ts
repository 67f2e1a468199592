/** Start-up: `--help` against a bare Node.js start, side by side. */
import type { Check } from "../lib/check.js";
import { sideBySide } from "../lib/measure.js";
import { BIN } from "../lib/world.js";

export async function startup(runs: number): Promise<Check[]> {
  const c = await sideBySide(
    "start-up",
    { label: "cloudsmith-log-export --help", cmd: process.execPath, args: [BIN, "--help"] },
    { label: "node -e 0", cmd: process.execPath, args: ["-e", "0"] },
    { runs, same: (a) => (a.stdout.includes("Usage: cloudsmith-log-export") ? undefined : "no usage text") },
  );
  return [
    {
      what: "--help, over a bare Node.js start (only commander loads up front)",
      value: c.ratio,
      op: "<=",
      target: 3,
      unit: "x",
      detail: `${c.a.medianMs} ms vs ${c.b.medianMs} ms`,
    },
  ];
}
