import { SCENARIOS, runCli, callsSince } from './scenarios.js';
const only = process.argv[2];
for (const s of SCENARIOS) {
  if (only && !only.split(',').includes(s.command)) continue;
  const p = await s.prepare();
  const idx = p.emu.sim.history.entries.length;
  const r = await runCli(p.emu.endpoint, p.args);
  const calls = callsSince(p.emu.sim.history.entries.slice(idx), 0);
  console.log(JSON.stringify({ command: s.command, code: r.code, calls: [...calls].sort() }));
  if (r.code !== 0) console.log(r.err.slice(0, 800));
  await p.close();
}
