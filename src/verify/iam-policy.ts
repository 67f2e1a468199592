/**
 * The least-privilege IAM policy `verify` needs, from the calls its packs'
 * collectors make: each pack declares its needs (checks/<pack>/pack.ts) and
 * aws/operations.ts maps each SDK operation to its IAM action. A test runs the
 * collectors with every option and proves each call they send is here, and
 * `verify --print-iam-policy`, the permission docs and synth's optional
 * auditor role all come from this.
 */
import { OPERATIONS } from "../aws/operations.js";
import { PACKS } from "../checks/index.js";
import type { PermissionNeed, PolicySwitches } from "../checks/pack.js";
import { partition } from "../config/derived.js";
import type { Config } from "../config/schema.js";
import type { PolicyDocument, Statement } from "../iam/policies/types.js";

export { OPERATIONS };
/** What the run will do: which packs are on (by id, as verify's flags turn them on), and Access Analyzer. */
export type PolicyOptions = PolicySwitches;

/** `--securityhub`: the run's findings are imported where each config's account and region are. */
const SECURITY_HUB: PermissionNeed = {
  sid: "ImportFindingsIntoSecurityHub",
  operations: ["securityhub:BatchImportFindings"],
  when: (_cfg, on) => on.securityhub === true,
  resources: (cfg) => [
    `arn:${partition(cfg)}:securityhub:${cfg.region}:${cfg.accountId}:product/${cfg.accountId}/default`,
  ],
  on: "the account's own Security Hub product (default)",
  why: "--securityhub: BatchImportFindings of the run's findings",
};

/** The needs of the packs the options turn on, in registry order (and Security Hub's import when asked). */
function needsFor(o: PolicyOptions): PermissionNeed[] {
  return [
    ...PACKS.filter((p) => p.switchFlag === undefined || o[p.id] === true).flatMap((p) => p.permissions ?? []),
    ...(o.securityhub === true ? [SECURITY_HUB] : []),
  ];
}

/** The IAM actions the operations need. */
const actionsOf = (operations: readonly string[]) =>
  operations.flatMap((op) => (op.includes(":") ? [op] : (OPERATIONS[op] ?? [])));

const applies = (n: PermissionNeed, cfg: Config, o: PolicyOptions) => n.when?.(cfg, o) ?? true;

/** The SDK operations a run with these options may send (what the coverage test checks calls against). */
export function operationsFor(cfgs: readonly Config[], o: PolicyOptions): Set<string> {
  const ops = new Set<string>(["STS.GetCallerIdentity"]);
  for (const cfg of cfgs)
    for (const n of needsFor(o))
      if (applies(n, cfg, o)) for (const op of n.operations) if (!op.includes(":")) ops.add(op);
  return ops;
}

/** The policy for the role `verify` runs as, for every config given (merged per statement). */
export function verifierPolicy(cfgs: readonly Config[], o: PolicyOptions): PolicyDocument {
  const statements = new Map<string, { actions: Set<string>; resources: Set<string>; condition?: unknown }>();
  for (const cfg of cfgs) {
    for (const n of needsFor(o)) {
      if (!applies(n, cfg, o)) continue;
      const s = statements.get(n.sid) ?? { actions: new Set(), resources: new Set(), condition: n.condition?.(cfg) };
      for (const a of actionsOf(n.operations)) s.actions.add(a);
      for (const r of n.resources(cfg, o)) s.resources.add(r);
      statements.set(n.sid, s);
    }
  }
  return {
    Version: "2012-10-17",
    Statement: [...statements]
      .filter(([, s]) => s.actions.size > 0 && s.resources.size > 0)
      .map(([sid, s]) => {
        const resources = s.resources.has("*") ? ["*"] : [...s.resources].sort();
        return {
          Sid: sid,
          Effect: "Allow",
          Action: [...s.actions].sort(),
          Resource: resources.length === 1 ? resources[0]! : resources,
          ...(s.condition ? { Condition: s.condition as Statement["Condition"] } : {}),
        };
      }),
  };
}

/** Rows for the docs: each statement of each pack, its calls, actions, resources and why (shared ones once). */
export function permissionRows(): string[][] {
  const seen = new Set<string>();
  return PACKS.flatMap((p) => p.permissions ?? [])
    .filter((n) => {
      const key = `${n.sid}\n${n.operations.join()}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((n) => [n.sid, n.operations.join(", "), [...new Set(actionsOf(n.operations))].join(", "), n.on, n.why]);
}
