// Preloaded with `node --import` by runCliMeasured: writes the process's peak resident memory
// (KiB, from the kernel's rusage) to the file the test names, however the process ends.
import { writeFileSync } from "node:fs";

const file = process.env.CLE_TEST_MAX_RSS_FILE;
if (file) process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
