/** CloudTrail event selectors, basic and advanced, as the selector evaluator (selectors.ts) reads them. */

export interface FieldSelector {
  field: string;
  equals?: string[];
  notEquals?: string[];
  startsWith?: string[];
  notStartsWith?: string[];
  endsWith?: string[];
  notEndsWith?: string[];
}
export interface AdvancedSelector {
  name?: string;
  fieldSelectors: FieldSelector[];
}
export interface BasicSelector {
  readWriteType?: string;
  includeManagementEvents?: boolean;
  excludeManagementEventSources?: string[];
  dataResources?: Array<{ type: string; values: string[] }>;
}

/** GetEventSelectors output in the form the selector evaluator reads. */
export function selectorsFromSdk(s: {
  EventSelectors?: Array<{
    ReadWriteType?: string;
    IncludeManagementEvents?: boolean;
    ExcludeManagementEventSources?: string[];
    DataResources?: Array<{ Type?: string; Values?: string[] }>;
  }>;
  AdvancedEventSelectors?: Array<{
    Name?: string;
    FieldSelectors?: Array<{
      Field?: string;
      Equals?: string[];
      NotEquals?: string[];
      StartsWith?: string[];
      NotStartsWith?: string[];
      EndsWith?: string[];
      NotEndsWith?: string[];
    }>;
  }>;
}): { basic: BasicSelector[]; advanced: AdvancedSelector[] } {
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
}
