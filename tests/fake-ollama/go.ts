// Go-flavoured helpers. Ollama is a Go program: its JSON output, request decoding, base64 and
// duration parsing carry Go's exact behaviour and error texts, which a client may show or match.

/** JSON as Go's encoding/json writes it: `<`, `>`, `&`, U+2028 and U+2029 are escaped. */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const EPOCH_MS = Date.now();
const EPOCH_HR = process.hrtime.bigint();

/** Wall-clock time in integer nanoseconds (Ollama reports every duration in ns). */
export function nowNs(): bigint {
  return BigInt(EPOCH_MS) * 1_000_000n + (process.hrtime.bigint() - EPOCH_HR);
}

/** time.Now().UTC() marshalled by Go: RFC 3339 with up to 9 fraction digits, zeros trimmed. */
export function goTime(ns: bigint = nowNs()): string {
  const ms = Number(ns / 1_000_000n);
  const base = new Date(ms).toISOString().slice(0, 19);
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${base}${frac ? `.${frac}` : ''}Z`;
}

/** Go's time.Time JSON for a Date (millisecond precision is enough for fixed timestamps). */
export function goTimeOfDate(date: Date): string {
  return goTime(BigInt(date.getTime()) * 1_000_000n);
}

// ---- base64 ---------------------------------------------------------------------------------

const DECODE_MAP = new Int16Array(256).fill(-1);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
for (let i = 0; i < ALPHABET.length; i++) DECODE_MAP[ALPHABET.charCodeAt(i)] = i;
const STRICT_STD = /^[A-Za-z0-9+/]*={0,2}$/;

export type Base64Result = { ok: true; bytes: Buffer } | { ok: false; error: string };

/**
 * base64.StdEncoding.Decode, as encoding/json applies it to `[]byte` fields such as Ollama's
 * `images`: padding is required, `\r` and `\n` are skipped, anything else outside the alphabet
 * fails with Go's CorruptInputError at that byte offset ("data:image/png;base64,…" → byte 4).
 */
export function goBase64Decode(text: string): Base64Result {
  if (text.length % 4 === 0 && STRICT_STD.test(text)) {
    return { ok: true, bytes: Buffer.from(text, 'base64') };
  }
  const src = Buffer.from(text, 'utf8');
  const out = Buffer.alloc(Math.floor(src.length / 4) * 3 + 3);
  const fail = (at: number): Base64Result => ({ ok: false, error: `illegal base64 data at input byte ${at}` });
  const isNl = (i: number) => src[i] === 0x0a || src[i] === 0x0d;
  const d = [0, 0, 0, 0];
  let si = 0;
  let n = 0;
  // A port of encoding/base64 decodeQuantum, one 4-character quantum per pass.
  while (si < src.length) {
    let dlen = 4;
    let trailing = -1;
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return { ok: true, bytes: out.subarray(0, n) };
        return fail(si - j);
      }
      const c = src[si]!;
      si++;
      const v = DECODE_MAP[c]!;
      if (v >= 0) {
        d[j] = v;
        continue;
      }
      if (c === 0x0a || c === 0x0d) {
        j--;
        continue;
      }
      if (c !== 0x3d) return fail(si - 1);
      // Padding: only valid as the 3rd or 4th character of a quantum.
      if (j < 2) return fail(si - 1);
      if (j === 2) {
        while (si < src.length && isNl(si)) si++;
        if (si === src.length) return fail(src.length);
        if (src[si] !== 0x3d) return fail(si - 1);
        si++;
      }
      while (si < src.length && isNl(si)) si++;
      if (si < src.length) trailing = si;
      dlen = j;
      break;
    }
    const val = (d[0]! << 18) | (d[1]! << 12) | (d[2]! << 6) | d[3]!;
    if (dlen >= 2) out[n++] = (val >> 16) & 0xff;
    if (dlen >= 3) out[n++] = (val >> 8) & 0xff;
    if (dlen === 4) out[n++] = val & 0xff;
    d.fill(0);
    if (trailing >= 0) return fail(trailing);
  }
  return { ok: true, bytes: out.subarray(0, n) };
}

// ---- durations ------------------------------------------------------------------------------

const UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** time.ParseDuration in milliseconds, or Go's error text ("10" has no unit and fails). */
export function goParseDuration(orig: string): { ms: number } | { error: string } {
  const q = JSON.stringify(orig);
  let s = orig;
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return { ms: 0 };
  if (s === '') return { error: `time: invalid duration ${q}` };
  let total = 0;
  while (s !== '') {
    const num = /^(\d*)(\.\d*)?/.exec(s)!;
    const intPart = num[1] ?? '';
    const fracPart = (num[2] ?? '').slice(1);
    if (!intPart && !fracPart) return { error: `time: invalid duration ${q}` };
    s = s.slice(num[0].length);
    const unit = /^[^\d.]*/.exec(s)![0];
    if (unit === '') return { error: `time: missing unit in duration ${q}` };
    const scale = UNITS[unit];
    if (scale === undefined) return { error: `time: unknown unit ${JSON.stringify(unit)} in duration ${q}` };
    total += Number(`${intPart || '0'}.${fracPart || '0'}`) * scale;
    s = s.slice(unit.length);
  }
  return { ms: neg ? -total : total };
}

/**
 * api.Duration (keep_alive): a number is seconds, a string is a Go duration; negative means
 * "forever". Returns milliseconds, Infinity for forever, or the decode error.
 */
export function goKeepAlive(value: unknown, fallbackMs: number): { ms: number } | { error: string } {
  if (value === undefined || value === null) return { ms: fallbackMs };
  if (typeof value === 'number') return { ms: value < 0 ? Infinity : value * 1000 };
  if (typeof value === 'string') {
    const parsed = goParseDuration(value);
    if ('error' in parsed) return parsed;
    return { ms: parsed.ms < 0 ? Infinity : parsed.ms };
  }
  const goType = typeof value === 'boolean' ? 'bool' : Array.isArray(value) ? '[]interface {}' : 'map[string]interface {}';
  return { error: `Unsupported type: '${goType}'` };
}

// ---- request decoding -----------------------------------------------------------------------

const CONTEXT: [RegExp, string][] = [
  [/Expected property name|Expected double-quoted property name/, 'looking for beginning of object key string'],
  [/Expected ':' after property name/, 'after object key'],
  [/Expected ',' or '}' after property value/, 'after object key:value pair'],
  [/Expected ',' or ']' after array element/, 'after array element'],
];

function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  return `'${c}'`;
}

export type DecodeResult = { ok: true; value: unknown } | { ok: false; error: string; eof?: boolean };

/**
 * gin's ShouldBindJSON = json.NewDecoder(body).Decode: whatever the Content-Type, an empty body
 * is io.EOF (Ollama: "missing request body"), only the first JSON value is read, and syntax
 * errors read like Go's ("invalid character 'x' looking for beginning of value"). The texts for
 * rarer syntax errors are approximations.
 */
export function goDecode(text: string): DecodeResult {
  if (text.trim() === '') return { ok: false, error: 'EOF', eof: true };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = (error as Error).message;
    const posMatch = /at position (\d+)/.exec(message);
    const pos = posMatch ? Number(posMatch[1]) : -1;
    if (message.includes('non-whitespace character after JSON') && pos > 0) {
      return goDecode(text.slice(0, pos));
    }
    if (/Unexpected end|Unterminated/.test(message) || pos >= text.length) {
      return { ok: false, error: 'unexpected EOF' };
    }
    const token = pos >= 0 ? text[pos] : /Unexpected token '(.)'/.exec(message)?.[1];
    if (token === undefined) return { ok: false, error: 'unexpected EOF' };
    const context = CONTEXT.find(([re]) => re.test(message))?.[1] ?? 'looking for beginning of value';
    return { ok: false, error: `invalid character ${quoteChar(token)} ${context}` };
  }
}

/** The JSON kind names Go uses in UnmarshalTypeError. */
export function jsonKind(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

type FieldType = 'string' | 'bool' | 'int' | 'map' | 'any';
const GO_TYPE: Record<FieldType, string> = {
  string: 'string',
  bool: 'bool',
  int: 'int',
  map: 'map[string]interface {}',
  any: 'interface {}',
};

function matches(type: FieldType, v: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof v === 'string';
    case 'bool':
      return typeof v === 'boolean';
    case 'int':
      return typeof v === 'number' && Number.isInteger(v);
    case 'map':
      return typeof v === 'object' && !Array.isArray(v);
    case 'any':
      return true;
  }
}

/**
 * Check top-level fields the way encoding/json would when decoding into a Go struct: a value
 * of the wrong JSON kind gives "json: cannot unmarshal string into Go struct field
 * ChatRequest.stream of type bool". null is always accepted (Go leaves the field zero).
 */
export function goCheckFields(
  value: Record<string, unknown>,
  struct: string,
  fields: Record<string, FieldType>,
  prefix = '',
): string | undefined {
  for (const [key, v] of Object.entries(value)) {
    const type = fields[key];
    if (type === undefined || v === null || matches(type, v)) continue;
    return `json: cannot unmarshal ${jsonKind(v)} into Go struct field ${struct}.${prefix}${key} of type ${GO_TYPE[type]}`;
  }
  return undefined;
}
