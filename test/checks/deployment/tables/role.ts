/** Rule tables for the writer role: facts each rule must pass, and facts it must not. */
import { absent, failed } from "../../../../src/engine/fact.js";
import { role } from "../../../helpers/facts.js";
import type { AreaTables } from "../../../helpers/rule-table.js";

export const TABLES: AreaTables = {
  "role.exists": {
    valid: [{ name: "exact name, path /" }],
    invalid: [
      { name: "missing", mutate: (f) => (f.role = absent("NoSuchEntity")), expect: "FAIL" },
      {
        name: "path /service/",
        mutate: (f) => (role(f).path = "/service/"),
        expect: "FAIL",
      },
      { name: "AccessDenied", mutate: (f) => (f.role = failed("AccessDenied")), expect: "ERROR" },
    ],
  },
};
