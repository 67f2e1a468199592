/** The identity pack's facts: who the credentials running verify belong to. */
import type { Fact } from "../../engine/fact.js";
import type { Rule } from "../../engine/rule.js";
import type { PackFacts } from "../pack.js";

export interface CallerIdentity {
  account: string;
  arn: string;
}

export interface IdentityFacts extends PackFacts {
  identity: Fact<CallerIdentity>;
}

export type IdentityRule = Rule<IdentityFacts>;
