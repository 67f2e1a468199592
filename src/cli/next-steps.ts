/** What to run after synth: shared by `synth` and `init` so the advice never diverges. */
import type { Config } from "../config/schema.js";

export function nextSteps(cfg: Config, stackDir: string): string[] {
  const lines = [`  cd ${stackDir}`, "  terraform init"];
  if (cfg.externalId === undefined) {
    lines.push(
      "  # No External ID yet: send Cloudsmith the request (`cloudsmith-log-export request`); when the ID arrives,",
      "  # run `cloudsmith-log-export init` again to add it, or pass it to Terraform:",
      "  terraform apply -var cloudsmith_external_id=<the ID Cloudsmith sends>",
      "  cloudsmith-log-export verify          # prove the deployment is right",
    );
  } else {
    lines.push(
      "  terraform plan -out tfplan && terraform apply tfplan",
      "  cloudsmith-log-export verify          # prove the deployment is right",
      "  cloudsmith-log-export request         # then tell Cloudsmith the role is ready",
    );
  }
  return lines;
}
