/** A flag row (util/flag-spec.ts) as a commander option. */
import { Option } from "commander";
import type { FlagSpec } from "../util/flag-spec.js";

export function optionOf(spec: FlagSpec): Option {
  const option = new Option(spec.flags, spec.help);
  if (spec.choices) option.choices(spec.choices);
  if (spec.default !== undefined) option.default(spec.default);
  if (spec.repeatable) option.argParser((v: string, prev: string[] = []) => [...prev, v]);
  else if (spec.parse) option.argParser(spec.parse);
  if (spec.hidden) option.hideHelp();
  return option;
}
