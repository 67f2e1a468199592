/** Rule table for `verify --cloudsmith-org`. */
import { failed, present } from "../../../src/engine/fact.js";
import type { AreaTables } from "../../helpers/rule-table.js";

export const TABLES: AreaTables = {
  "cloudsmith.audit-log-access": {
    valid: [{ name: "the key reads the audit log" }],
    invalid: [
      {
        name: "the key is rejected",
        mutate: (f) =>
          (f.cloudsmithAuditLog = present({ org: "acme", ok: false, message: "the API key was rejected (401)" })),
        expect: "FAIL",
      },
      {
        name: "the API cannot be reached",
        mutate: (f) => (f.cloudsmithAuditLog = failed("fetch failed")),
        expect: "ERROR",
      },
      { name: "not collected", mutate: (f) => delete f.cloudsmithAuditLog, expect: "ERROR" },
    ],
  },
};
