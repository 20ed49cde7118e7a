// `npm run mock-providers`: starts the four mock providers on loopback and prints the environment lines
// that point Storyreel at them, so anyone can try the paid flow offline. It keeps running; in one shell:
//   npm run -s mock-providers -- --env-only > /tmp/storyreel-mocks.env &
// then, once the file has its lines, in any shell: `. /tmp/storyreel-mocks.env` and
// `storyreel render <dir> --provider fal` (MOCK_PORT_BASE moves the ports from 4701–4704).
import { FAL_MOCK_KEY, startFalMock } from './fal';
import { KLING_MOCK_ACCESS_KEY, KLING_MOCK_SECRET_KEY, startKlingMock } from './kling';
import { LUMENFALL_MOCK_KEY, startLumenfallMock } from './lumenfall';
import { REPLICATE_MOCK_TOKEN, startReplicateMock } from './replicate';

const base = Number(process.env.MOCK_PORT_BASE ?? 4701);
const envOnly = process.argv.includes('--env-only');

const mocks = await Promise.all([
  startFalMock({ port: base }),
  startReplicateMock({ port: base + 1 }),
  startLumenfallMock({ port: base + 2 }),
  startKlingMock({ port: base + 3 }),
]);
const [fal, replicate, lumenfall, kling] = mocks;
const env: [string, string][] = [
  ['STORYREEL_FAL_URL', fal.url],
  ['FAL_KEY', FAL_MOCK_KEY],
  ['STORYREEL_REPLICATE_URL', `${replicate.url}/v1`],
  ['REPLICATE_API_TOKEN', REPLICATE_MOCK_TOKEN],
  ['STORYREEL_LUMENFALL_URL', `${lumenfall.url}/openai/v1`],
  ['LUMENFALL_API_KEY', LUMENFALL_MOCK_KEY],
  ['STORYREEL_KLING_URL', kling.url],
  ['KLING_ACCESS_KEY', KLING_MOCK_ACCESS_KEY],
  ['KLING_SECRET_KEY', KLING_MOCK_SECRET_KEY],
];
if (!envOnly) {
  console.log('Mock providers (Kling V3 over the fal, Replicate, Lumenfall and Kling wire protocols) on loopback:');
  for (const m of mocks) console.log(`  ${m.name.padEnd(10)} ${m.url}   (request log: ${m.url}/__mock/log, faults: POST ${m.url}/__mock/faults)`);
  console.log('\nPaste these into another shell, then e.g. `npx storyreel render <dir> --provider fal`:\n');
}
for (const [k, v] of env) console.log(`export ${k}=${v}`);
if (!envOnly) console.log('\nPress Ctrl+C to stop.');
const stop = async () => {
  await Promise.all(mocks.map((m) => m.close()));
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
