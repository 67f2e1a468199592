/** The trail, its status and its event selectors (GetTrail, GetTrailStatus, GetEventSelectors). */
import type { Clients } from "../../../../aws/clients.js";
import { selectorsFromSdk } from "../../../../cloudtrail/selector-types.js";
import { trailArn, trailName } from "../../../../config/derived.js";
import type { Config } from "../../../../config/schema.js";
import { skip } from "../../../../engine/fact.js";
import type { Reader } from "../../../reader.js";

export async function collectTrail(c: Clients, r: Reader, cfg: Config) {
  const name = trailName(cfg);
  const on = cfg.cloudtrail.mode !== "none";
  const noTrail = skip<never>("cloudtrail.mode is none");
  const trailP = on
    ? r.read(async () => {
        const t = (await c.cloudtrail.send(new c.ctmod.GetTrailCommand({ Name: trailArn(cfg) }))).Trail!;
        return {
          name: t.Name ?? name,
          arn: t.TrailARN,
          homeRegion: t.HomeRegion,
          s3BucketName: t.S3BucketName,
          s3KeyPrefix: t.S3KeyPrefix,
          isMultiRegionTrail: t.IsMultiRegionTrail === true,
          includeGlobalServiceEvents: t.IncludeGlobalServiceEvents === true,
          logFileValidationEnabled: t.LogFileValidationEnabled === true,
          kmsKeyId: t.KmsKeyId,
          cloudWatchLogsLogGroupArn: t.CloudWatchLogsLogGroupArn,
          isOrganizationTrail: t.IsOrganizationTrail === true,
        };
      }, ["TrailNotFoundException"])
    : Promise.resolve(noTrail);
  const statusP = on
    ? r.read(async () => {
        const s = await c.cloudtrail.send(new c.ctmod.GetTrailStatusCommand({ Name: trailArn(cfg) }));
        return { isLogging: s.IsLogging === true, latestDeliveryError: s.LatestDeliveryError || null };
      }, ["TrailNotFoundException"])
    : Promise.resolve(noTrail);
  const selectorsP = on
    ? r.read(async () => {
        const s = await c.cloudtrail.send(new c.ctmod.GetEventSelectorsCommand({ TrailName: trailArn(cfg) }));
        return selectorsFromSdk(s);
      }, ["TrailNotFoundException"])
    : Promise.resolve(noTrail);
  const [trail, status, selectors] = await Promise.all([trailP, statusP, selectorsP]);
  return { trail, status, selectors };
}
