/** Rule tables for IAM Access Analyzer: facts each rule must pass, and facts it must not. */
import { failed, present } from "../../../../src/engine/fact.js";
import type { AreaTables } from "../../../helpers/rule-table.js";

export const TABLES: AreaTables = {
  "analyzer.validate-policy": {
    valid: [
      { name: "no findings" },
      {
        name: "suggestion only",
        mutate: (f) =>
          (f.analyzerFindings = present([
            { policy: "writer", findingType: "SUGGESTION", issueCode: "X", message: "m" },
          ])),
      },
    ],
    invalid: [
      {
        name: "security warning",
        mutate: (f) =>
          (f.analyzerFindings = present([
            { policy: "trust", findingType: "SECURITY_WARNING", issueCode: "X", message: "m" },
          ])),
        expect: "FAIL",
      },
      {
        name: "emulator",
        mutate: (f) => (f.analyzerFindings = { state: "skip", detail: "custom endpoint" }),
        expect: "SKIPPED",
      },
      { name: "unreadable", mutate: (f) => (f.analyzerFindings = failed("AccessDenied")), expect: "ERROR" },
    ],
  },
  "analyzer.no-new-access": {
    valid: [{ name: "PASS" }],
    invalid: [
      {
        name: "FAIL",
        mutate: (f) => (f.analyzerNoNewAccess = present({ result: "FAIL", message: "new principal" })),
        expect: "FAIL",
      },
      { name: "unreadable", mutate: (f) => (f.analyzerNoNewAccess = failed("AccessDenied")), expect: "ERROR" },
    ],
  },
};
