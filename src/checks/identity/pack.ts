/**
 * The credentials' account, checked first: with credentials for another
 * account nothing else is read (every other rule is SKIPPED, saying why) and
 * `identity.account` FAILs, whatever --rule or --skip-rule asked.
 */
import { attemptAws } from "../../aws/describe-error.js";
import { failed, present, skip } from "../../engine/fact.js";
import { definePack } from "../pack.js";
import type { IdentityFacts } from "./facts.js";
import { identityAccount } from "./rules/account.js";

export const identityPack = definePack<undefined, IdentityFacts>({
  id: "identity",
  groups: [["identity", "Identity"]],
  rules: [identityAccount],
  configFields: { identity: ["accountId"] },
  permissions: [],
  async collect(ctx, _options, facts) {
    if (ctx.options.staticPath !== undefined) {
      facts.identity = skip("static sources use no AWS credentials");
      return;
    }
    if (ctx.identity) {
      facts.identity = present(ctx.identity);
      return;
    }
    const c = await ctx.clients();
    facts.identity = await attemptAws(async () => {
      const who = await c.sts.send(new c.stsmod.GetCallerIdentityCommand({}));
      return { account: who.Account ?? "", arn: who.Arn ?? "" };
    });
  },
  gate(facts) {
    const who = facts.identity;
    if (who?.state !== "present" || who.value.account === "" || who.value.account === facts.config.accountId)
      return undefined;
    return `not checked: the credentials are for account ${who.value.account}, not ${facts.config.accountId} (the config's accountId)`;
  },
  fail(facts, detail) {
    facts.identity = failed(detail);
  },
});
