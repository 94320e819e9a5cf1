// POST /api/pull (PullHandler + PullModel): progress lines on an NDJSON stream. A name the
// registry does not know still gets a 200 stream: "pulling manifest", then an {"error"} line.
import { goCheckFields, goDecode, goJson, jsonKind } from './go.ts';
import { isValidModelName, layerDigests, modelKey, toRecord } from './models.ts';
import type { FakeModel } from './models.ts';
import { sendJson, sleep, writeOut } from './state.ts';
import type { FakeState, RequestContext } from './state.ts';

export const MANIFEST_MISSING = 'pull model manifest: file does not exist';

type Progress = { status: string; digest?: string; total?: number; completed?: number } | { error: string };

function progressEvents(name: string, spec: FakeModel | undefined): Progress[] {
  const events: Progress[] = [{ status: 'pulling manifest' }];
  if (!spec) return [...events, { error: MANIFEST_MISSING }];
  const [model, license] = layerDigests(name);
  const layers: [string, number, number[]][] = [
    [model, spec.size ?? 2_000_000_000, [0, 0.25, 0.5, 0.75, 1]],
    [license, 8_432, [0, 1]],
  ];
  for (const [digest, total, steps] of layers) {
    for (const f of steps) {
      // completed is omitempty: the first line of a layer has only total.
      events.push({ status: `pulling ${digest.slice(7, 19)}`, digest, total, completed: Math.round(total * f) || undefined });
    }
  }
  return [...events, { status: 'verifying sha256 digest' }, { status: 'writing manifest' }, { status: 'success' }];
}

export async function handlePull(state: FakeState, ctx: RequestContext): Promise<void> {
  const { res, signal } = ctx;
  const decoded = goDecode(ctx.body);
  const fail = (status: number, error: string, type?: string) => sendJson(res, status, goJson({ error }), type);
  if (!decoded.ok) return fail(400, decoded.eof ? 'missing request body' : decoded.error);
  const body = decoded.value ?? {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    return fail(400, `json: cannot unmarshal ${jsonKind(body)} into Go value of type api.PullRequest`);
  }
  const req = body as Record<string, unknown>;
  const typeError = goCheckFields(req, 'PullRequest', { model: 'string', name: 'string', insecure: 'bool', stream: 'bool' });
  if (typeError) return fail(400, typeError);
  const name = (typeof req.model === 'string' && req.model) || (typeof req.name === 'string' && req.name) || '';
  if (!name || !isValidModelName(name)) return fail(400, 'invalid model name');

  const streaming = req.stream !== false;
  const spec = state.pullable.get(modelKey(name));
  const events = progressEvents(name, spec);
  let latest: Progress = { status: '' };
  for (let i = 0; i < events.length; i++) {
    if (i > 0) await sleep(state.tuning.pullDelayMs, signal);
    if (signal.aborted) return ctx.cancelled('pull');
    const event = events[i]!;
    if ('error' in event) {
      // waitForStream (stream:false) and an error before any line answer with a status.
      if (!streaming || !res.headersSent) return fail(500, event.error, 'application/json');
      res.end(`${goJson(event)}\n`);
      return;
    }
    if (event.status === 'success' && spec) {
      const record = toRecord(spec, new Date());
      state.models.set(record.key, record);
    }
    latest = event;
    if (!streaming) continue;
    if (!res.headersSent) res.setHeader('Content-Type', 'application/x-ndjson');
    await writeOut(res, `${goJson(event)}\n`, i % 2 === 1, state.tuning, signal);
  }
  if (signal.aborted) return ctx.cancelled('pull');
  if (streaming) res.end();
  else sendJson(res, 200, goJson(latest), 'application/json');
}
