/** Every pack's facts in one object: what one `verify` run of one config collected. */
import type { CloudsmithView } from "./cloudsmith/facts.js";
import type { ConfigFacts } from "./config/facts.js";
import type { DeliveryView } from "./delivery/facts.js";
import type { IntegrityView } from "./integrity/facts.js";

export type Facts = ConfigFacts & DeliveryView & IntegrityView & CloudsmithView;
