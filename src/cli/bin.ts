#!/usr/bin/env node
// The only file that touches process.exitCode (style.md). The AWS SDK v3 prints
// a multi-line NodeVersionSupportWarning on Node < 22 on every command; we
// support Node >= 20 and say so once in `--version` instead (architecture.md
// "Node 20 and the SDK"), so silence it before the SDK loads.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// `asg-deploy … | head` closes the pipe early: stop quietly, as Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}
const { exec } = await import('./main.js');
process.exitCode = await exec(process.argv.slice(2));
