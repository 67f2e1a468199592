/** Every rule, listed explicitly and sorted by id. The inventory test keeps ids unique and each rule documented and tested. */
import type { DeploymentRule } from "../facts.js";
import { analyzerNoNewAccess } from "./analyzer/no-new-access.js";
import { analyzerValidatePolicy } from "./analyzer/validate-policy.js";
import { bucketEncryption } from "./bucket/encryption.js";
import { bucketExists } from "./bucket/exists.js";
import { bucketNoDenyWriter } from "./bucket/no-deny-writer.js";
import { bucketObjectOwnership } from "./bucket/object-ownership.js";
import { bucketPrivate } from "./bucket/private.js";
import { bucketPublicAccessBlock } from "./bucket/public-access-block.js";
import { bucketRequesterPays } from "./bucket/requester-pays.js";
import { bucketTlsOnly } from "./bucket/tls-only.js";
import { permissionsKms } from "./permissions/kms.js";
import { permissionsLeastPrivilege } from "./permissions/least-privilege.js";
import { permissionsRequired } from "./permissions/required.js";
import { retentionLifecycle } from "./retention/lifecycle.js";
import { retentionObjectLock } from "./retention/object-lock.js";
import { roleExists } from "./role/exists.js";
import { trailBucketPolicy } from "./trail/bucket-policy.js";
import { trailCloudWatchLogs } from "./trail/cloudwatch-logs.js";
import { trailDeliveryErrors } from "./trail/delivery-errors.js";
import { trailDestination } from "./trail/destination.js";
import { trailExists } from "./trail/exists.js";
import { trailGlobalEvents } from "./trail/global-events.js";
import { trailKms } from "./trail/kms.js";
import { trailLogValidation } from "./trail/log-validation.js";
import { trailLogging } from "./trail/logging.js";
import { trailManagementEvents } from "./trail/management-events.js";
import { trailMultiRegion } from "./trail/multi-region.js";
import { trailS3DataEvents } from "./trail/s3-data-events.js";
import { trustActions } from "./trust/actions.js";
import { trustCloudsmithCanAssume } from "./trust/cloudsmith-can-assume.js";
import { trustExternalId } from "./trust/external-id.js";
import { trustPrincipal } from "./trust/principal.js";

export const RULES: readonly DeploymentRule[] = [
  analyzerNoNewAccess,
  analyzerValidatePolicy,
  bucketEncryption,
  bucketExists,
  bucketNoDenyWriter,
  bucketObjectOwnership,
  bucketPrivate,
  bucketPublicAccessBlock,
  bucketRequesterPays,
  bucketTlsOnly,
  permissionsKms,
  permissionsLeastPrivilege,
  permissionsRequired,
  retentionLifecycle,
  retentionObjectLock,
  roleExists,
  trailBucketPolicy,
  trailCloudWatchLogs,
  trailDeliveryErrors,
  trailDestination,
  trailExists,
  trailGlobalEvents,
  trailKms,
  trailLogValidation,
  trailLogging,
  trailManagementEvents,
  trailMultiRegion,
  trailS3DataEvents,
  trustActions,
  trustCloudsmithCanAssume,
  trustExternalId,
  trustPrincipal,
];
