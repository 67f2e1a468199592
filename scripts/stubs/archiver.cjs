// Stand-in for `archiver` in the bundle. cdktf loads it for TerraformAsset (zipping files), which
// this tool never uses; the real package costs ~16 ms of start-up. Fails loudly if ever called.
module.exports = function archiver() {
  throw new Error("cloudsmith-log-export: Terraform assets are not supported in the bundled CLI (archiver is stubbed)");
};
