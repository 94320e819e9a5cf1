// Run a fake OpenAI-compatible server by hand or for end-to-end tests:
//   npx tsx tests/fake-openai/cli.ts --flavour vllm [--port 8000] [--host 127.0.0.1] [--api-key sk-1]
//     [--cors-origins 'http://localhost:4173'] [--lmstudio-cors] [--reply 'fixed text']
//     [--chunk-delay 5] [--first-token-delay 10] [--crlf] [--pings] [--no-split] [--quiet]
import { parseArgs } from 'node:util';
import { DEFAULT_PORTS, startFakeOpenAi } from './server.ts';
import type { FakeFlavour } from './server.ts';

const { values } = parseArgs({
  options: {
    flavour: { type: 'string', default: 'vllm' },
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    'api-key': { type: 'string' },
    'cors-origins': { type: 'string' },
    'lmstudio-cors': { type: 'boolean', default: false },
    reply: { type: 'string' },
    'chunk-delay': { type: 'string' },
    'first-token-delay': { type: 'string' },
    crlf: { type: 'boolean', default: false },
    pings: { type: 'boolean', default: false },
    'no-split': { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
  },
});

const flavour = values.flavour as FakeFlavour;
if (!(flavour in DEFAULT_PORTS)) throw new Error(`--flavour must be one of ${Object.keys(DEFAULT_PORTS).join(', ')}`);
const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
const fake = await startFakeOpenAi({
  flavour,
  port: num(values.port) ?? DEFAULT_PORTS[flavour],
  host: values.host,
  apiKey: values['api-key'],
  corsOrigins: values['cors-origins']?.split(','),
  lmStudioCors: values['lmstudio-cors'],
  reply: values.reply,
  chunkDelayMs: num(values['chunk-delay']),
  firstTokenDelayMs: num(values['first-token-delay']),
  isCrlf: values.crlf,
  hasPings: values.pings,
  isSplit: !values['no-split'],
});

console.log(`fake ${flavour} listening on ${fake.url}`);
// Log arrivals and drop the log, so a long run does not keep every image body in memory.
setInterval(() => {
  if (!values.quiet) for (const r of fake.requests) console.log(`${r.method} ${r.path} origin=${r.origin ?? '-'} → ${r.status ?? '…'}`);
  fake.clearRequests();
}, 500).unref();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void fake.close().then(() => process.exit(0));
  });
}
