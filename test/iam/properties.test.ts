/**
 * Invariants AWS documents for policy evaluation, checked on generated policies and requests
 * (fast-check): IAM User Guide, "Policy evaluation logic" (an explicit Deny overrides any Allow),
 * "Permissions boundaries" (a boundary sets the maximum: it never grants), "IAM JSON policy
 * elements: Condition" (condition key names are not case-sensitive) and "Condition operators"
 * (...IfExists: "If the policy key is present in the context of the request, process the key as
 * specified in the policy").
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluateRequest, type PolicySet } from "../../src/iam/eval/evaluate.js";
import type { Request } from "../../src/iam/eval/request.js";
import { isUndecided } from "../../src/iam/eval/tri.js";
import { policy, type Statement } from "../../src/iam/policies/types.js";

const A = "111122223333";
const ROLE = `arn:aws:iam::${A}:role/Writer`;
const ACTIONS = ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"];
const RESOURCES = ["arn:aws:s3:::acme-logs/a/x", "arn:aws:s3:::acme-logs/b/y", "arn:aws:s3:::other/z"];
const KEYS = ["aws:SecureTransport", "s3:x-amz-acl", "aws:SourceIp", "aws:PrincipalTag/team"];
const VALUES = ["true", "false", "bucket-owner-full-control", "10.0.0.1", "ops", ""];
const OPERATORS = ["StringEquals", "StringNotEquals", "StringLike", "Bool", "IpAddress", "Null"];

const action = fc.constantFrom(...ACTIONS, "s3:*", "s3:Put*", "*");
const resource = fc.constantFrom(...RESOURCES, "arn:aws:s3:::acme-logs/*", "arn:aws:s3:::acme-logs/a/*", "*");
const condition = fc.option(
  fc.dictionary(
    fc.constantFrom(...OPERATORS),
    fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { minKeys: 1, maxKeys: 2 }),
    { minKeys: 1, maxKeys: 2 },
  ),
  { nil: undefined },
);
const statement = (effect: "Allow" | "Deny") =>
  fc.record({ action, resource, condition }).map(
    ({ action, resource, condition }): Statement => ({
      Effect: effect,
      Action: action,
      Resource: resource,
      ...(condition ? { Condition: condition } : {}),
    }),
  );
const statements = fc.array(fc.oneof(statement("Allow"), statement("Deny")), { minLength: 0, maxLength: 4 });
const request = fc
  .record({
    action: fc.constantFrom(...ACTIONS),
    resource: fc.constantFrom(...RESOURCES),
    context: fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 3 }),
  })
  .map(
    ({ action, resource, context }): Request => ({
      principal: { type: "AWS", account: A, arn: ROLE },
      action,
      resource,
      resourceAccount: A,
      context,
    }),
  );
const set = (identity: Statement[], boundary?: Statement[]): PolicySet => ({
  identity: [{ name: "inline policy p", document: policy(...identity) }],
  ...(boundary ? { boundary: { name: "boundary", document: policy(...boundary) } } : {}),
});

const RUNS = { numRuns: 400 };

describe("IAM evaluator: documented invariants on generated policies", () => {
  it("adding an explicit Deny never turns a refusal into an allow", () => {
    fc.assert(
      fc.property(statements, statement("Deny"), request, (base, extra, req) => {
        const before = evaluateRequest(req, set(base)).allowed;
        const after = evaluateRequest(req, set([...base, extra])).allowed;
        if (before !== true) expect(after).not.toBe(true);
      }),
      RUNS,
    );
  });

  it("a permissions boundary never widens: what it allows, the identity policy alone allows", () => {
    fc.assert(
      fc.property(statements, statements, request, (identity, boundary, req) => {
        const bounded = evaluateRequest(req, set(identity, boundary)).allowed;
        const alone = evaluateRequest(req, set(identity)).allowed;
        if (bounded === true) expect(alone).toBe(true);
      }),
      RUNS,
    );
  });

  it("the case of condition key names changes nothing", () => {
    const recase = (s: Statement): Statement =>
      s.Condition
        ? {
            ...s,
            Condition: Object.fromEntries(
              Object.entries(s.Condition).map(([op, byKey]) => [
                op,
                Object.fromEntries(Object.entries(byKey).map(([k, v]) => [k.toUpperCase(), v])),
              ]),
            ) as Statement["Condition"],
          }
        : s;
    fc.assert(
      fc.property(statements, request, (base, req) => {
        const a = evaluateRequest(req, set(base));
        const b = evaluateRequest(req, set(base.map(recase)));
        expect(b.decision).toBe(a.decision);
      }),
      RUNS,
    );
  });

  it("X and XIfExists agree when the key is present", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("StringEquals", "StringNotEquals", "StringLike", "Bool"),
        fc.constantFrom(...KEYS),
        fc.constantFrom(...VALUES),
        fc.constantFrom(...VALUES),
        (op, key, policyValue, requestValue) => {
          const req: Request = {
            principal: { type: "AWS", account: A, arn: ROLE },
            action: "s3:PutObject",
            resource: RESOURCES[0]!,
            resourceAccount: A,
            context: { [key]: requestValue },
          };
          const plain = { Effect: "Allow", Action: "s3:*", Resource: "*", Condition: { [op]: { [key]: policyValue } } };
          const ifExists = { ...plain, Condition: { [`${op}IfExists`]: { [key]: policyValue } } };
          expect(evaluateRequest(req, set([ifExists as Statement])).decision).toBe(
            evaluateRequest(req, set([plain as Statement])).decision,
          );
        },
      ),
      RUNS,
    );
  });

  it("an undecided answer always names the key and the statement it comes from", () => {
    fc.assert(
      fc.property(statements, request, fc.constantFrom(...KEYS), (base, req, unknowable) => {
        const d = evaluateRequest({ ...req, unknowable: [unknowable] }, set(base));
        if (isUndecided(d.allowed)) {
          expect(d.undecided?.key, JSON.stringify(base)).toBeTruthy();
          expect(d.undecided?.statement).toMatch(/^statement /);
        }
      }),
      RUNS,
    );
  });

  it("the compiled index (policies of more than 16 statements) answers as each statement alone would", () => {
    // Allow statements only: the policy allows exactly when one of its statements alone does.
    const manyAllows = fc.array(statement("Allow"), { minLength: 17, maxLength: 40 });
    fc.assert(
      fc.property(manyAllows, request, (all, req) => {
        const whole = evaluateRequest(req, set(all)).allowed;
        const each = all.map((s) => evaluateRequest(req, set([s])).allowed);
        if (each.includes(true)) expect(whole).toBe(true);
        else if (each.every((x) => x === false)) expect(whole).toBe(false);
        else expect(isUndecided(whole)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
