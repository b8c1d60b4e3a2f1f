// bin shim (placeholder until the CLI lands).
process.exitCode = 0;
