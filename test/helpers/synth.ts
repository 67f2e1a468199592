import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig } from "../../src/config/load.js";
import type { ConfigInput } from "../../src/config/schema.js";
import { type SynthResult, synthToDir } from "../../src/synth/synth-to-dir.js";

/** Synthesized Terraform JSON, loosely typed for assertions. */
// biome-ignore lint/suspicious/noExplicitAny: assertions walk arbitrary Terraform JSON
export type TfJson = Record<string, any>;

export async function synthVariant(input: ConfigInput, outDir?: string): Promise<{ result: SynthResult; tf: TfJson }> {
  const { config } = parseConfig(input);
  const out = outDir ?? join(await mkdtemp(join(tmpdir(), "cle-synth-")), "out");
  const result = await synthToDir(config, out);
  return { result, tf: JSON.parse(await readFile(result.stackFile, "utf8")) as TfJson };
}

/** All resources of one type, by logical name. */
export const resourcesOf = (tf: TfJson, type: string): Record<string, TfJson> => tf.resource?.[type] ?? {};
export const onlyResource = (tf: TfJson, type: string): TfJson => {
  const all = Object.values(resourcesOf(tf, type));
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0]!;
};
