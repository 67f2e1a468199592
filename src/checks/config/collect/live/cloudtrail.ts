/** The trail, its status and its event selectors (GetTrail, GetTrailStatus, GetEventSelectors). */
import type { Clients } from "../../../../aws/clients.js";
import { trailArn } from "../../../../config/derived.js";
import type { Config } from "../../../../config/schema.js";
import { skip } from "../../../../engine/fact.js";
import type { Reader } from "./reader.js";

export async function collectTrail(c: Clients, r: Reader, cfg: Config) {
  const trailName = cfg.cloudtrail.name;
  const noTrail = skip<never>("cloudtrail.enabled is false");
  const trailP = cfg.cloudtrail.enabled
    ? r.read(async () => {
        const t = (await c.cloudtrail.send(new c.ctmod.GetTrailCommand({ Name: trailName }))).Trail!;
        return {
          name: t.Name ?? trailName,
          arn: t.TrailARN,
          homeRegion: t.HomeRegion,
          s3BucketName: t.S3BucketName,
          s3KeyPrefix: t.S3KeyPrefix,
          isMultiRegionTrail: t.IsMultiRegionTrail === true,
          includeGlobalServiceEvents: t.IncludeGlobalServiceEvents === true,
          logFileValidationEnabled: t.LogFileValidationEnabled === true,
          kmsKeyId: t.KmsKeyId,
          cloudWatchLogsLogGroupArn: t.CloudWatchLogsLogGroupArn,
        };
      }, ["TrailNotFoundException"])
    : Promise.resolve(noTrail);
  const statusP = cfg.cloudtrail.enabled
    ? r.read(async () => {
        const s = await c.cloudtrail.send(new c.ctmod.GetTrailStatusCommand({ Name: trailArn(cfg) }));
        return { isLogging: s.IsLogging === true, latestDeliveryError: s.LatestDeliveryError || null };
      }, ["TrailNotFoundException"])
    : Promise.resolve(noTrail);
  const selectorsP = cfg.cloudtrail.enabled
    ? r.read(async () => {
        const s = await c.cloudtrail.send(new c.ctmod.GetEventSelectorsCommand({ TrailName: trailArn(cfg) }));
        return {
          basic: (s.EventSelectors ?? []).map((e) => ({
            readWriteType: e.ReadWriteType,
            includeManagementEvents: e.IncludeManagementEvents,
            excludeManagementEventSources: e.ExcludeManagementEventSources,
            dataResources: (e.DataResources ?? []).map((d) => ({ type: d.Type ?? "", values: d.Values ?? [] })),
          })),
          advanced: (s.AdvancedEventSelectors ?? []).map((a) => ({
            name: a.Name,
            fieldSelectors: (a.FieldSelectors ?? []).map((f) => ({
              field: f.Field ?? "",
              equals: f.Equals,
              notEquals: f.NotEquals,
              startsWith: f.StartsWith,
              notStartsWith: f.NotStartsWith,
              endsWith: f.EndsWith,
              notEndsWith: f.NotEndsWith,
            })),
          })),
        };
      }, ["TrailNotFoundException"])
    : Promise.resolve(noTrail);
  const [trail, status, selectors] = await Promise.all([trailP, statusP, selectorsP]);
  return { trail, status, selectors };
}
