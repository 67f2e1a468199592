/**
 * Entry point for the standard CDKTF tooling (`cdktf synth` via cdktf.json):
 * the same stack from the same config file as `cloudsmith-log-export synth`.
 * The config path comes from CLOUDSMITH_LOG_EXPORT_CONFIG, else the default file.
 */
import { App } from "cdktf";
import { DEFAULT_CONFIG_FILE, parseConfig, readConfigFile } from "../src/config/load.js";
import { CloudsmithLogExportStack, STACK_NAME } from "./export-stack.js";

const file = process.env.CLOUDSMITH_LOG_EXPORT_CONFIG ?? DEFAULT_CONFIG_FILE;
const { config } = parseConfig(await readConfigFile(file), file);
const app = new App({ stackTraces: false });
new CloudsmithLogExportStack(app, STACK_NAME, { config });
app.synth();
