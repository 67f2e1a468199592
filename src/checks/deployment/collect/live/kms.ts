/** The bucket key's policy and grants, with SSE-KMS (GetKeyPolicy, ListGrants). */
import type { Clients } from "../../../../aws/clients.js";
import type { Config } from "../../../../config/schema.js";
import { skip } from "../../../../engine/fact.js";
import { parsePolicyText } from "../../../../iam/policies/validate.js";
import type { Reader } from "../../../reader.js";

export async function collectKms(c: Clients, r: Reader, cfg: Config) {
  const kmsKey = cfg.encryption.type === "SSE-KMS" ? cfg.encryption.kmsKeyArn : undefined;
  const notKms = skip<never>("the bucket uses SSE-S3");
  const keyPolicyP = kmsKey
    ? r.read(async () =>
        parsePolicyText(
          (await c.kms().send(new c.kmsmod!.GetKeyPolicyCommand({ KeyId: kmsKey, PolicyName: "default" }))).Policy ??
            "",
          "the key policy",
        ),
      )
    : Promise.resolve(notKms);
  const grantsP = kmsKey
    ? r.read(async () =>
        ((await c.kms().send(new c.kmsmod!.ListGrantsCommand({ KeyId: kmsKey }))).Grants ?? []).map((g) => ({
          granteePrincipal: g.GranteePrincipal ?? "",
          operations: (g.Operations ?? []) as string[],
        })),
      )
    : Promise.resolve(notKms);

  const [keyPolicy, grants] = await Promise.all([keyPolicyP, grantsP]);
  return { keyPolicy, grants };
}
