/**
 * Facts are what collectors found, each in one of five states. Rules never
 * see a failed read as "not configured": `error` and `unknown` become ERROR
 * results, `skip` becomes SKIPPED, and only `present`/`absent` are decided on.
 */
export type Fact<T> =
  | { state: "present"; value: T }
  /** The read succeeded and the thing does not exist (e.g. NoSuchBucketPolicy). */
  | { state: "absent"; detail: string }
  /** The read failed: access denied, throttled after retries, network. */
  | { state: "error"; detail: string }
  /** Static sources: the value is known only after apply. */
  | { state: "unknown"; detail: string }
  /** Not observable from this source (e.g. an existing bucket in static mode). */
  | { state: "skip"; detail: string };

export const present = <T>(value: T): Fact<T> => ({ state: "present", value });
export const absent = <T>(detail: string): Fact<T> => ({ state: "absent", detail });
export const failed = <T>(detail: string): Fact<T> => ({ state: "error", detail });
export const unknown = <T>(detail: string): Fact<T> => ({ state: "unknown", detail });
export const skip = <T>(detail: string): Fact<T> => ({ state: "skip", detail });

/** Thrown by `read` when a fact cannot be decided on; the engine turns it into ERROR or SKIPPED. */
export class Undecidable extends Error {
  constructor(
    readonly status: "ERROR" | "SKIPPED",
    message: string,
  ) {
    super(message);
    this.name = "Undecidable";
  }
}

/** The value of a fact, `undefined` when absent; a failed, unknown or unobservable read stops the rule. */
export function read<T>(fact: Fact<T>, what: string): T | undefined {
  switch (fact.state) {
    case "present":
      return fact.value;
    case "absent":
      return undefined;
    case "error":
      throw new Undecidable("ERROR", `could not read ${what}: ${fact.detail}`);
    case "unknown":
      throw new Undecidable("ERROR", `${what} is known only after apply: ${fact.detail}`);
    case "skip":
      throw new Undecidable("SKIPPED", `${what}: ${fact.detail}`);
  }
}

/** Turns a thrown error into a fact's detail: the error's name and message. */
export type Describe = (error: unknown) => string;

/** The plain description of a thrown error: its name and message. Sources that know their
 * errors better (AWS's, in aws/describe-error.ts) pass their own. */
export const describePlainError: Describe = (e) => {
  const err = e as { name?: string; message?: string };
  const name = err.name ?? "Error";
  const message = (err.message ?? String(e)).replace(/\s*\n\s*/g, " ").trim();
  return message && message !== name ? `${name}: ${message}` : name;
};

/**
 * Runs one read and never throws: its value is `present`, an error whose name
 * is in `absentOn` is `absent` (the documented "not found"), anything else is
 * `error`. The one wrapper every collector uses (AWS collectors through
 * aws/describe-error.ts `attemptAws`, which names AWS errors).
 */
export async function attempt<T>(
  call: () => Promise<T>,
  opts: { absentOn?: readonly string[]; describe?: Describe } = {},
): Promise<Fact<T>> {
  try {
    return present(await call());
  } catch (e) {
    const name = (e as { name?: string }).name ?? "";
    return opts.absentOn?.includes(name) ? absent(name) : failed((opts.describe ?? describePlainError)(e));
  }
}

/** Resolves a fact produced from another fact, carrying a non-present state through unchanged.
 * (Not named `then`: a module exporting `then` is a thenable, and `await import()` of it never settles.) */
export async function andThen<A, B>(fact: Fact<A>, next: (a: A) => Promise<Fact<B>>): Promise<Fact<B>> {
  return fact.state === "present" ? next(fact.value) : (fact as unknown as Fact<B>);
}
