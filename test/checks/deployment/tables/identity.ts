/** Rule tables for the caller: facts each rule must pass, and facts it must not. */
import { failed, present } from "../../../../src/engine/fact.js";
import type { AreaTables } from "../../../helpers/rule-table.js";

export const TABLES: AreaTables = {
  "identity.account": {
    valid: [{ name: "same account" }],
    invalid: [
      {
        name: "other account",
        mutate: (f) => (f.identity = present({ account: "999999999999", arn: "x" })),
        expect: "FAIL",
      },
      { name: "STS unreachable", mutate: (f) => (f.identity = failed("network")), expect: "ERROR" },
    ],
  },
};
