// `npm run simulator`: the simulator on its own, for trying the gateway or poking at Douyin's
// protocol by hand. It reads process.env directly: it is a separate tool, not the gateway.
import { isPortInUseError } from '../server/listen.ts';
import { startSimulator } from './simulator.ts';

function intFromEnv(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`${name} must be a non-negative integer, got "${text}"`);
    process.exit(2);
  }
  return value;
}

const port = intFromEnv('SIMULATOR_PORT', 4100);
const host = process.env.SIMULATOR_HOST || '127.0.0.1';
const seed = process.env.SIMULATOR_SEED || undefined;
const roomCount = process.env.SIMULATOR_ROOMS ? intFromEnv('SIMULATOR_ROOMS', 4) : undefined;

const simulator = await startSimulator({ port, host, ...(seed ? { seed } : {}), ...(roomCount === undefined ? {} : { rooms: roomCount }) }).catch(
  (error: unknown) => {
    if (!isPortInUseError(error)) throw error;
    console.error(`${error.message} (${error.code})`);
    process.exit(2);
  },
);

console.log(`Douyin simulator (seed ${simulator.seed})`);
console.log(`  HTTP      ${simulator.url}`);
console.log(`  push      ${simulator.pushEndpoint}`);
console.log(`  control   ${simulator.url}/__sim/`);
console.log('  rooms (also listed by GET /webcast/feed/):');
for (const room of simulator.rooms()) {
  const s = room.summary();
  console.log(`    web_rid ${s.webRid}  room_id ${s.roomId}  ${s.rate} msg/s  ${s.viewers} viewers  ${s.title} — ${s.anchor.nickname}`);
}

const shutdown = () => {
  void simulator.stop().then(() => process.exit(0));
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
