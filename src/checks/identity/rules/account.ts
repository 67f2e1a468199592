import { read } from "../../../engine/fact.js";
import { fail, pass } from "../../../engine/rule.js";
import type { IdentityRule } from "../facts.js";

export const identityAccount: IdentityRule = {
  id: "identity.account",
  title: "Credentials resolve to the configured account",
  // Critical: with other credentials nothing else is checked, so no threshold may let it pass.
  severity: "critical",
  rationale:
    "Checking another account's resources would report on the wrong setup: every other result would be meaningless.",
  remediation: {
    terraform: "Run verify with credentials for the account in `accountId` (AWS_PROFILE, --profile or the CI role).",
    console: "Sign in to the account whose ID is in the config, then run verify again.",
  },
  docs: "Calls STS GetCallerIdentity and compares the account with `accountId`. Not applicable to static sources.",
  evaluate(facts) {
    const id = read(facts.identity, "the caller identity")!;
    return id.account === facts.config.accountId
      ? pass(`account/${id.account}`, `credentials belong to ${id.account} (${id.arn})`)
      : fail(
          `account/${id.account}`,
          `credentials belong to ${id.account}, but the config is for ${facts.config.accountId}`,
        );
  },
};
