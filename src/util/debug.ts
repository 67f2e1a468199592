/**
 * --debug: what the run does and how long each step takes, on stderr. Lines
 * name the service, the operation, the HTTP status or error code and the time:
 * never a parameter, a header or a body, so no secret or key can be printed.
 */
import { printable } from "./printable.js";

let enabled = false;
const started = Date.now();

/** Turned on by --debug (or DEBUG=1, the older spelling). */
export function enableDebug(): void {
  enabled = true;
}

export const debugEnabled = (): boolean => enabled || Boolean(process.env.DEBUG);

export function debug(line: string): void {
  if (!debugEnabled()) return;
  const t = ((Date.now() - started) / 1000).toFixed(3).padStart(8);
  process.stderr.write(`debug ${t}s ${printable(line, 500)}\n`);
}

/** What a middleware stack needs to offer: the AWS SDK v3 client's, reduced to the one call used here. */
interface Instrumentable {
  middlewareStack: {
    add(
      middleware: (
        next: (args: unknown) => Promise<{ output?: { $metadata?: { httpStatusCode?: number; attempts?: number } } }>,
        context: { clientName?: string; commandName?: string },
      ) => (args: unknown) => Promise<unknown>,
      options: { step: "initialize"; name: string; override?: boolean },
    ): void;
  };
}

/** Logs each SDK call of a client (service, operation, status, attempts, duration) under --debug. */
export function instrument<C>(client: C): C {
  (client as unknown as Instrumentable).middlewareStack.add(
    (next, context) => async (args) => {
      if (!debugEnabled()) return next(args);
      const start = performance.now();
      const op = `${(context.clientName ?? "").replace(/Client$/, "")}.${(context.commandName ?? "").replace(/Command$/, "")}`;
      try {
        const result = await next(args);
        const meta = result.output?.$metadata;
        debug(
          `aws ${op} ${meta?.httpStatusCode ?? "-"} in ${Math.round(performance.now() - start)} ms (attempts ${meta?.attempts ?? 1})`,
        );
        return result;
      } catch (e) {
        const err = e as { name?: string; $metadata?: { httpStatusCode?: number; attempts?: number } };
        debug(
          `aws ${op} failed ${err.name ?? "Error"} ${err.$metadata?.httpStatusCode ?? "-"} in ${Math.round(performance.now() - start)} ms (attempts ${err.$metadata?.attempts ?? 1})`,
        );
        throw e;
      }
    },
    { step: "initialize", name: "cleDebugTiming", override: true },
  );
  return client;
}
