/** SDK clients pointed at the emulator, for tests that write the state they then check. */

import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { IAMClient } from "@aws-sdk/client-iam";
import { S3Client } from "@aws-sdk/client-s3";

export const TEST_CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };

export function emulatorClients(endpoint: string) {
  const base = { endpoint, region: "us-east-1", credentials: TEST_CREDENTIALS };
  return {
    iam: new IAMClient(base),
    s3: new S3Client({ ...base, forcePathStyle: true }),
    cloudtrail: new CloudTrailClient(base),
  };
}
