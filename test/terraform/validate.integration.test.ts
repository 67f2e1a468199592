/**
 * Every variant passes the real `terraform init` (providers from the local
 * mirror) and `terraform validate`.
 */
import { describe, expect, it } from "vitest";
import { variants } from "../helpers/configs.js";
import { synthVariant } from "../helpers/synth.js";
import { providerMirror, terraform } from "../helpers/terraform.js";

describe("terraform validate", () => {
  it.each(Object.keys(variants))(
    "%s",
    async (name) => {
      const { result } = await synthVariant(variants[name]!);
      // -backend=false: validation needs no state (the S3 backend variant has no reachable bucket here).
      await terraform(result.stackDir, ["init", "-input=false", "-backend=false", `-plugin-dir=${providerMirror()}`]);
      const { stdout } = await terraform(result.stackDir, ["validate", "-json"]);
      const report = JSON.parse(stdout) as {
        valid: boolean;
        error_count: number;
        warning_count: number;
        diagnostics: unknown[];
      };
      expect(report, JSON.stringify(report.diagnostics, null, 2)).toMatchObject({
        valid: true,
        error_count: 0,
        warning_count: 0,
      });
    },
    60_000,
  );
});
