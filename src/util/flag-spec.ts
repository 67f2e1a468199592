/**
 * A command-line flag as one row: its commander syntax, help, default and
 * parser. `verify`'s table (verify/flags.ts) and the check packs' own flags
 * use it, so a flag is written once: the option, its value's type and its
 * parsing all come from the row.
 */
export interface FlagSpec<V = unknown> {
  /** Commander's flag syntax: `-c, --config <path>`, `--name <arg>`, `--name [arg]` or `--name`. */
  flags: string;
  help: string;
  /** The default commander shows and applies (a string, parsed like a typed value). */
  default?: string;
  choices?: readonly string[];
  /** Repeatable: every value is kept, in order. */
  repeatable?: boolean;
  /** Kept out of `--help` (an old spelling still accepted). */
  hidden?: boolean;
  /** Parses the argument; only for values that need it at the command line already. */
  parse?: (value: string) => V;
}

export const flagSpec = <V = unknown>(spec: FlagSpec<V>): FlagSpec<V> => spec;

/** The option's key as commander stores it: `--max-age <d>` -> `maxAge`, `--no-x` -> `x`. */
export function flagKey(spec: Pick<FlagSpec, "flags">): string {
  const long = /--(?:no-)?([a-z0-9-]+)/.exec(spec.flags)?.[1] ?? "";
  return long.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The flag as users type it (`--max-age`). */
export const flagName = (spec: Pick<FlagSpec, "flags">): string => /--[a-z0-9-]+/.exec(spec.flags)?.[0] ?? spec.flags;
