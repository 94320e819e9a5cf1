// Run the fake Ollama by hand or for benchmarks:
//   npx tsx tests/fake-ollama/cli.ts --port 11434 [--host 127.0.0.1] [--origins 'https://*.github.io']
//     [--chunk-delay 5] [--first-chunk-delay 10] [--load-delay 0] [--pull-delay 5] [--parallel 1]
//     [--version 0.12.6] [--no-split] [--reply 'fixed text'] [--quiet]
import { parseArgs } from 'node:util';
import { startFakeOllama } from './server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '11434' },
    host: { type: 'string', default: '127.0.0.1' },
    origins: { type: 'string' },
    version: { type: 'string' },
    'chunk-delay': { type: 'string' },
    'first-chunk-delay': { type: 'string' },
    'load-delay': { type: 'string' },
    'pull-delay': { type: 'string' },
    parallel: { type: 'string' },
    'no-split': { type: 'boolean', default: false },
    reply: { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
});

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
const fake = await startFakeOllama({
  port: Number(values.port),
  host: values.host,
  origins: values.origins ? [values.origins] : [],
  version: values.version,
  chunkDelayMs: num(values['chunk-delay']),
  firstChunkDelayMs: num(values['first-chunk-delay']),
  loadDelayMs: num(values['load-delay']),
  pullDelayMs: num(values['pull-delay']),
  parallel: num(values.parallel),
  splitLines: !values['no-split'],
  reply: values.reply,
});

console.log(`fake Ollama listening on ${fake.url} (models: ${fake.modelNames().join(', ')})`);
// Log arrivals and drop the log, so a long benchmark does not keep every image body in memory.
setInterval(() => {
  if (!values.quiet) for (const r of fake.requests) console.log(`${r.method} ${r.path} origin=${r.origin ?? '-'}`);
  fake.clearRequests();
}, 500).unref();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void fake.close().then(() => process.exit(0));
  });
}
