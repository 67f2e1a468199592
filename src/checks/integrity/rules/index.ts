/** The integrity rules (`verify --integrity`), sorted by id. */
import type { IntegrityRule } from "../facts.js";
import { integrityChain } from "./digest-chain.js";
import { integritySignatures } from "./digest-signatures.js";
import { integrityLogFiles } from "./log-files.js";

export const INTEGRITY_RULES: readonly IntegrityRule[] = [integrityChain, integritySignatures, integrityLogFiles];
