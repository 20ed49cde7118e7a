// Kling official adapter, offline: the request bodies buildSubmit produces (golden files: the exact JSON text
// sent, each test naming its source — ids as in docs/providers.md §9), the parameter conversions, the two
// ways to sign (API key, access/secret key JWT), the lookup by external_task_id, and how Kling's error
// responses become ProviderErrors. Regenerate the golden files after an intended change with UPDATE_GOLDEN=1.
import { existsSync, mkdirSync, promises as fs, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAssets } from '../../../electron/core/providers/assets';
import { buildKlingBody, createKlingAdapter, klingErrorFromResponse, klingFieldFromMessage } from '../../../electron/core/providers/kling';
import { klingRequestJson } from '../../../electron/core/providers/kling-json';
import type { ResolvedAssets } from '../../../electron/core/providers/provider';
import { ProviderError } from '../../../electron/core/providers/provider-error';
import type { GenerationSpec } from '../../../shared/generation';
import { formatIssue, validateSpec } from '../../../shared/validate';
import { png } from '../../helpers/png';
import { specFactory } from '../../helpers/spec';

const GOLDEN = path.join(__dirname, 'golden', 'kling');
const BASE = 'https://api-singapore.klingai.com';
const KEY = 'ext-0001';
const NO_ASSETS: ResolvedAssets = { elements: [] };

const spec = specFactory({ provider: 'kling', tier: 'pro', durationSec: 7, negativePrompt: 'blur, distort, and low quality', prompt: 'A lighthouse in a storm at dusk, waves crashing on the rocks.' });
const at = { shotId: 's1', shotLabel: 'shot 1 “Storm”' };
const issues = (s: GenerationSpec) => validateSpec(s, at).map(formatIssue);


let projectDir = '';
const images: Record<string, Buffer> = {};

beforeAll(async () => {
  projectDir = await fs.mkdtemp(path.join(os.tmpdir(), 'storyreel-kling-unit-'));
  await fs.mkdir(path.join(projectDir, 'refs'));
  images['refs/start.png'] = png(320, 320, [200, 80, 40]);
  images['refs/end.png'] = png(320, 320, [40, 80, 200]);
  for (const [rel, buf] of Object.entries(images)) await fs.writeFile(path.join(projectDir, rel), buf);
});
afterAll(async () => {
  await fs.rm(projectDir, { recursive: true, force: true });
});

/** The wire request with each embedded image replaced by a readable stand-in (checked exactly elsewhere). */
function forGolden(body: Record<string, unknown>): Record<string, unknown> {
  const out = { ...body };
  for (const field of ['image', 'image_tail']) {
    const v = out[field];
    if (typeof v !== 'string') continue;
    const match = Object.entries(images).find(([, buf]) => buf.toString('base64') === v);
    expect(match, `${field} is the exact bare base64 of a project image`).toBeDefined();
    out[field] = `<base64 of ${match![0]}>`;
  }
  return out;
}

/** The golden file holds the request as text, written by the same serializer that writes the wire body. */
function expectGolden(name: string, wire: { method: string; url: string; headers: Record<string, string>; body: unknown }) {
  const file = path.join(GOLDEN, `${name}.json`);
  const text = `${klingRequestJson(wire, 2)}\n`;
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, text);
  }
  expect(existsSync(file), `golden file ${name}.json is missing; run with UPDATE_GOLDEN=1 once and review it`).toBe(true);
  // Compared as text: parsed, an 18-digit element_id would be rounded and two different ids could match.
  expect(text).toBe(readFileSync(file, 'utf8'));
}

async function golden(name: string, s: GenerationSpec) {
  expect(issues(s), 'the spec is valid for Kling').toEqual([]);
  const adapter = createKlingAdapter();
  const assets = await resolveAssets(s, projectDir, 'base64');
  const wire = adapter.buildSubmit(s, assets, { idempotencyKey: KEY, baseUrl: BASE });
  expectGolden(name, { ...wire, body: forGolden(wire.body as Record<string, unknown>) });
  // What goes on the wire is this body through the same serializer.
  expect(JSON.parse(klingRequestJson(wire.body).replace(/"element_id":(\d+)/g, '"element_id":"$1"'))).toEqual(wire.body);
  return wire;
}

describe('Kling request bodies (golden)', () => {
  it('plain text-to-video [S25 text2video body, §5.10 example; S26 model_name kling-v3]', async () => {
    const wire = await golden('text-to-video', spec());
    expect(wire.url).toBe(`${BASE}/v1/videos/text2video`);
    expect(wire.headers).not.toHaveProperty('authorization');
  });

  it('start and end frame: image2video with bare base64 and no aspect_ratio [S25 image2video: image/image_tail, no data: prefix]', async () => {
    const wire = await golden('start-end-frame', spec({ startFrame: 'refs/start.png', endFrame: 'refs/end.png', prompt: 'The door slowly opens onto the sea.' }));
    const body = wire.body as Record<string, unknown>;
    expect(wire.url).toBe(`${BASE}/v1/videos/image2video`);
    expect(body.image).toBe(images['refs/start.png'].toString('base64'));
    expect(body.image_tail).toBe(images['refs/end.png'].toString('base64'));
    expect(String(body.image)).not.toMatch(/^data:/);
    expect(body).not.toHaveProperty('aspect_ratio');
  });

  it('a three-shot customize group [S25 multi_shot/shot_type/multi_prompt with index and string duration; S26 multiPrompt]', async () => {
    const shots = [
      { shotId: 'a', label: 'shot 1', prompt: 'Wide shot: a lighthouse in a storm at dusk.', durationSec: 4 },
      { shotId: 'b', label: 'shot 2', prompt: 'Close-up: the keeper lights the lamp, rain on the glass.', durationSec: 3 },
      { shotId: 'c', label: 'shot 3', prompt: 'Aerial pull-back as the beam sweeps the sea.', durationSec: 5 },
    ];
    const wire = await golden('three-shot-customize', spec({ prompt: undefined, shots, shotType: 'customize', durationSec: 12, aspectRatio: '9:16', tier: 'standard', audio: true }));
    const body = wire.body as Record<string, unknown>;
    expect(body.multi_prompt).toEqual([
      { index: 1, prompt: shots[0].prompt, duration: '4' },
      { index: 2, prompt: shots[1].prompt, duration: '3' },
      { index: 3, prompt: shots[2].prompt, duration: '5' },
    ]);
    expect(body).not.toHaveProperty('prompt');
  });

  it('voices with audio [S25 voice_list, sound on; S26 voiceList also on text2video]', async () => {
    const wire = await golden(
      'voices-audio',
      spec({
        prompt: 'Two friends at a night market. The woman <<<voice_1>>> says "we are late again". The man <<<voice_2>>> laughs: "blame the noodles".',
        audio: true,
        voiceIds: ['853965338566852685', '853965338566852999'],
        durationSec: 8,
        aspectRatio: '9:16',
      }),
    );
    const body = wire.body as Record<string, unknown>;
    expect(body.voice_list).toEqual([{ voice_id: '853965338566852685' }, { voice_id: '853965338566852999' }]);
    expect(body.sound).toBe('on');
    expect(body.prompt).toContain('<<<voice_1>>>');
  });

  it('elements from the Kling element library (image-to-video) [S25 element_list [{element_id: long}]; S26 elementList element_id: z.number()]', async () => {
    const ids = ['860213457198923776', '123456789012345678901'];
    const wire = await golden(
      'elements',
      spec({
        startFrame: 'refs/start.png',
        prompt: 'The keeper walks toward the camera and stops, smiling.',
        durationSec: 6,
        elements: [
          { name: 'Keeper', libraryId: ids[0] },
          { name: 'Dog', libraryId: ids[1] },
        ],
      }),
    );
    const body = wire.body as Record<string, unknown>;
    // Held as strings of digits in the app…
    expect(body.element_list).toEqual([{ element_id: ids[0] }, { element_id: ids[1] }]);
    expect(body).not.toHaveProperty('voice_list');
    // …and written as JSON numbers with exactly those digits (a JS number would end …776 → …800, …901 → …000).
    const sent = klingRequestJson(body);
    expect(sent).toContain(`"element_list":[{"element_id":${ids[0]}},{"element_id":${ids[1]}}]`);
    expect(sent).not.toContain(`"${ids[0]}"`);
    expect(readFileSync(path.join(GOLDEN, 'elements.json'), 'utf8')).toContain(`"element_id": ${ids[1]}\n`);
  });
});

describe('element ids: strings of digits in the app, bare numbers on the wire', () => {
  it('writes only element_list ids bare; a prompt or voice id that looks like one stays a string', () => {
    const body = { prompt: 'element_id 42 "element_id":"7"', voice_list: [{ voice_id: '853965338566852685' }], element_list: [{ element_id: '9007199254740993' }], extra: { element_id: '5' } };
    const text = klingRequestJson(body);
    expect(text).toContain('"element_list":[{"element_id":9007199254740993}]');
    expect(text).toContain('"voice_id":"853965338566852685"');
    expect(text).toContain('"extra":{"element_id":"5"}');
    expect(text).toContain(JSON.stringify(body.prompt));
    expect(() => JSON.parse(text)).not.toThrow();
  });

  it('refuses an id that is not digits, or one already held as a number, before anything is sent', async () => {
    expect(() => klingRequestJson({ element_list: [{ element_id: 'el_42' }] })).toThrow(/not a Kling element id/);
    expect(() => klingRequestJson({ element_list: [{ element_id: 860213457198923800 }] })).toThrow(/held as a number/);
    const s = spec({ startFrame: 'refs/start.png', elements: [{ name: 'Keeper', libraryId: 'el_42' }] });
    expect(issues(s)).toEqual([
      'shot 1 “Storm”, elements: element “Keeper” has the Kling (official API) element id “el_42”, but element ids are numbers (digits only, as the element library shows them); the shot was not sent',
    ]);
    let calls = 0;
    const adapter = createKlingAdapter({ fetch: (async () => (calls++, new Response('{}'))) as unknown as typeof fetch });
    const ctx = { config: { baseUrl: BASE, credentials: { apiKey: 'kling-key-123456' } }, projectDir, workDir: projectDir };
    const err = await adapter.submit(s, ctx, { idempotencyKey: KEY }).catch((e) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect([err.kind, err.field, err.nothingCreated]).toEqual(['validation', 'elements', true]);
    expect(err.message).toContain('element “Keeper”');
    expect(calls).toBe(0);
    // An id smuggled in through extra as a string of letters is refused the same way, never sent.
    const viaExtra = await adapter.submit(spec({ startFrame: 'refs/start.png', extra: { element_list: [{ element_id: 'abc' }] } }), ctx, { idempotencyKey: KEY }).catch((e) => e);
    expect([viaExtra.kind, viaExtra.field, viaExtra.nothingCreated]).toEqual(['validation', 'elements', true]);
    expect(calls).toBe(0);
  });
});

describe('what Kling cannot do is refused before any request', () => {
  it('has no 4K tier: the validator names the tier, and buildSubmit refuses to send one', () => {
    expect(issues(spec({ tier: '4k' }))).toEqual(['shot 1 “Storm”, tier: Kling (official API) has no 4k tier (it offers standard, pro)']);
    expect(() => buildKlingBody(spec({ tier: '4k' }), NO_ASSETS, KEY)).toThrow(ProviderError);
  });

  it('takes elements only as library ids, never as inline images', () => {
    const s = spec({ startFrame: 'refs/start.png', elements: [{ name: 'Keeper', frontal: 'refs/start.png' }] });
    expect(issues(s)).toEqual(['shot 1 “Storm”, elements: element “Keeper” has no Kling (official API) element id']);
  });

  it('refuses an end frame in a multi-shot group and voices together with elements', () => {
    const shots = [
      { shotId: 'a', label: 'shot 1', prompt: 'wide', durationSec: 2 },
      { shotId: 'b', label: 'shot 2', prompt: 'close', durationSec: 3 },
    ];
    expect(issues(spec({ prompt: undefined, shots, durationSec: 5, startFrame: 'refs/start.png', endFrame: 'refs/end.png' }))).toContain(
      'shot 1 “Storm”, end frame: an end frame cannot be used in a multi-shot group',
    );
    expect(
      issues(spec({ audio: true, voiceIds: ['v1'], startFrame: 'refs/start.png', elements: [{ name: 'Keeper', libraryId: '1' }] })),
    ).toContain('shot 1 “Storm”, voices: Kling (official API) takes voices or characters in one request, not both: remove the characters from this shot or the voices from its lines (nothing was sent; the shot is kept as it is)');
  });

  it('accepts 1-second shots in a group, as Kling does', () => {
    const shots = [
      { shotId: 'a', label: 'shot 1', prompt: 'wide', durationSec: 1 },
      { shotId: 'b', label: 'shot 2', prompt: 'close', durationSec: 2 },
    ];
    expect(issues(spec({ prompt: undefined, shots, durationSec: 3 }))).toEqual([]);
  });
});

describe('parameter conversions', () => {
  it('sends duration as a string of seconds, for the task and for each shot', () => {
    for (const d of [3, 10, 15]) expect(buildKlingBody(spec({ durationSec: d }), NO_ASSETS, KEY).duration).toBe(String(d));
    const shots = [
      { shotId: 'a', label: 'shot 1', prompt: 'wide', durationSec: 1 },
      { shotId: 'b', label: 'shot 2', prompt: 'close', durationSec: 2 },
    ];
    const group = buildKlingBody(spec({ prompt: undefined, shots, durationSec: 3 }), NO_ASSETS, KEY);
    expect(group.multi_prompt).toEqual([
      { index: 1, prompt: 'wide', duration: '1' },
      { index: 2, prompt: 'close', duration: '2' },
    ]);
  });

  it('maps tiers to mode std/pro', () => {
    expect(buildKlingBody(spec({ tier: 'standard' }), NO_ASSETS, KEY).mode).toBe('std');
    expect(buildKlingBody(spec({ tier: 'pro' }), NO_ASSETS, KEY).mode).toBe('pro');
  });

  it('maps audio to sound "on"/"off"', () => {
    expect(buildKlingBody(spec({ audio: true }), NO_ASSETS, KEY).sound).toBe('on');
    const off = buildKlingBody(spec({ audio: false }), NO_ASSETS, KEY);
    expect(off.sound).toBe('off');
    expect(off).not.toHaveProperty('generate_audio');
  });

  it('spells the model-split mode "intelligence" and sends the overall prompt instead of shots', () => {
    const shots = [
      { shotId: 'a', label: 'shot 1', prompt: 'wide', durationSec: 4 },
      { shotId: 'b', label: 'shot 2', prompt: 'close', durationSec: 4 },
    ];
    const body = buildKlingBody(spec({ shots, shotType: 'intelligence', prompt: 'A storm, told in cuts.', durationSec: 8 }), NO_ASSETS, KEY);
    expect(body).toMatchObject({ multi_shot: true, shot_type: 'intelligence', prompt: 'A storm, told in cuts.', duration: '8' });
    expect(body).not.toHaveProperty('multi_prompt');
  });

  it('always names the model (Kling would otherwise default to kling-v1) and carries the idempotency key', () => {
    const body = buildKlingBody(spec(), NO_ASSETS, 'job-42');
    expect(body.model_name).toBe('kling-v3');
    expect(body.external_task_id).toBe('job-42');
  });

  it('leaves an empty negative prompt out', () => {
    expect(buildKlingBody(spec({ negativePrompt: '' }), NO_ASSETS, KEY)).not.toHaveProperty('negative_prompt');
  });

  it('passes unknown options in spec.extra straight through, but never lets them replace the idempotency key', () => {
    const extra = { camera_control: { type: 'simple', config: { zoom: 5 } }, watermark_info: { enabled: true }, external_task_id: 'other' };
    const body = buildKlingBody(spec({ extra }), NO_ASSETS, KEY);
    expect(body.camera_control).toEqual(extra.camera_control);
    expect(body.watermark_info).toEqual({ enabled: true });
    expect(body.external_task_id).toBe(KEY);
  });

  it('uses the configured base URL exactly in place of Kling’s', () => {
    const wire = createKlingAdapter().buildSubmit(spec(), NO_ASSETS, { idempotencyKey: KEY, baseUrl: 'http://127.0.0.1:9999/proxy/kling/' });
    expect(wire.url).toBe('http://127.0.0.1:9999/proxy/kling/v1/videos/text2video');
  });
});

describe('the token', () => {
  it('is an HS256 JWT with iss = access key, exp = now + 1800 and nbf = now − 5, signed with the secret key', async () => {
    const seen: string[] = [];
    const fakeFetch = (async (_url: RequestInfo | URL, init?: RequestInit) => {
      seen.push(String((init?.headers as Record<string, string>).authorization));
      return new Response(JSON.stringify({ code: 0, message: 'SUCCEED', request_id: 'r', data: { task_id: '1', task_status: 'processing' } }), { status: 200 });
    }) as typeof fetch;
    const fixed = Date.UTC(2026, 5, 1, 12, 0, 0);
    const adapter = createKlingAdapter({ now: () => fixed, fetch: fakeFetch });
    const ctx = { config: { baseUrl: BASE, credentials: { accessKey: 'AK-test', secretKey: 'SK-test-secret' } }, projectDir, workDir: projectDir };
    const ref = JSON.stringify({ kind: 'text2video', taskId: '1' });
    await adapter.poll(ref, ctx);
    await adapter.poll(ref, ctx);
    expect(seen[0]).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(seen[1]).toBe(seen[0]); // cached while far from expiry
    const jwt = seen[0].slice('Bearer '.length);
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const { payload } = await jwtVerify(jwt, new TextEncoder().encode('SK-test-secret'), { currentDate: new Date(fixed) });
    const nowSec = fixed / 1000;
    expect(payload).toEqual({ iss: 'AK-test', exp: nowSec + 1800, nbf: nowSec - 5 });
  });

  it('is replaced before it runs out', async () => {
    const seen: string[] = [];
    const fakeFetch = (async (_url: RequestInfo | URL, init?: RequestInit) => {
      seen.push(String((init?.headers as Record<string, string>).authorization));
      return new Response(JSON.stringify({ code: 0, message: 'SUCCEED', data: { task_id: '1', task_status: 'submitted' } }), { status: 200 });
    }) as typeof fetch;
    let clock = Date.UTC(2026, 5, 1, 12, 0, 0);
    const adapter = createKlingAdapter({ now: () => clock, fetch: fakeFetch });
    const ctx = { config: { baseUrl: BASE, credentials: { accessKey: 'AK', secretKey: 'SK' } }, projectDir, workDir: projectDir };
    const ref = JSON.stringify({ kind: 'text2video', taskId: '1' });
    await adapter.poll(ref, ctx);
    clock += 1600 * 1000; // 200 s before exp
    await adapter.poll(ref, ctx);
    expect(seen[1]).not.toBe(seen[0]);
  });

  it('is not made without both keys: an auth error, nothing sent', async () => {
    let calls = 0;
    const adapter = createKlingAdapter({ fetch: (async () => (calls++, new Response('{}'))) as unknown as typeof fetch });
    const ctx = { config: { baseUrl: BASE, credentials: { accessKey: 'AK' } }, projectDir, workDir: projectDir };
    const err = await adapter.poll(JSON.stringify({ kind: 'text2video', taskId: '1' }), ctx).catch((e) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.kind).toBe('auth');
    expect(err.providerMessage).toContain('secret key');
    expect(calls).toBe(0);
  });
});

describe('Kling errors → ProviderError', () => {
  it('turns an unreadable job reference into a not-found error instead of a crash', async () => {
    const ctx = { config: { baseUrl: BASE, credentials: { accessKey: 'AK', secretKey: 'SK' } }, projectDir, workDir: projectDir };
    const err = await createKlingAdapter().poll('not json', ctx).catch((e) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.kind).toBe('not-found');
  });

  const cases: [number, number, string, string][] = [
    [401, 1001, 'Authorization is empty', 'auth'],
    [401, 1002, 'Authorization is invalid', 'auth'],
    [401, 1003, 'Authorization is not active yet', 'auth'],
    [401, 1004, 'Authorization has expired', 'auth'],
    [429, 1102, 'resource pack exhausted', 'balance'],
    [403, 1103, 'no access to this model', 'auth'],
    [400, 1201, 'duration: must be between "3" and "15"', 'validation'],
    [404, 1203, 'model not found', 'not-found'],
    [400, 1301, 'Failure to pass the risk control system', 'policy'],
    [429, 1303, 'parallel task over resource pack limit', 'rate-limit'],
    [500, 5000, 'Server internal error', 'outage'],
    [503, 5001, 'Server temporarily unavailable', 'outage'],
  ];
  for (const [status, code, message, kind] of cases) {
    it(`${status}/${code} → ${kind}, with Kling's own words`, () => {
      const err = klingErrorFromResponse({ status, body: { code, message, request_id: 'r' } });
      expect(err.kind).toBe(kind);
      expect(err.status).toBe(status);
      expect(err.providerMessage).toContain(message);
      expect(err.providerMessage).toContain(String(code));
    });
  }

  it('takes Retry-After on a rate limit', () => {
    const err = klingErrorFromResponse({ status: 429, body: { code: 1302, message: 'too many requests' }, retryAfter: '7' });
    expect(err.retryAfterMs).toBe(7000);
  });

  it('treats a non-JSON gateway page as an outage', () => {
    const err = klingErrorFromResponse({ status: 502, body: '<html>Bad gateway</html>' });
    expect(err.kind).toBe('outage');
    expect(err.message).toContain('HTTP 502');
  });

  it('names the field Kling blamed, in the inspector’s words', () => {
    expect(klingFieldFromMessage('duration: must be between "3" and "15"')).toBe('duration');
    expect(klingFieldFromMessage('multi_prompt[2].prompt: must be at most 512 characters')).toBe('prompt');
    expect(klingFieldFromMessage('multi_prompt[0].duration: must be between "1" and "5"')).toBe('duration');
    expect(klingFieldFromMessage('multi_prompt: at most 6 shots are supported, got 7')).toBe('group');
    expect(klingFieldFromMessage('negative_prompt: too long')).toBe('negative prompt');
    expect(klingFieldFromMessage('image_tail: an end frame requires image')).toBe('end frame');
    expect(klingFieldFromMessage('voice_list and element_list cannot be used together')).toBe('voices');
    expect(klingFieldFromMessage('aspect_ratio: must be one of 16:9, 9:16, 1:1')).toBe('aspect ratio');
    expect(klingFieldFromMessage('something else went wrong')).toBeUndefined();
    const err = klingErrorFromResponse({ status: 400, body: { code: 1201, message: 'aspect_ratio: must be one of 16:9, 9:16, 1:1' } });
    expect(err.field).toBe('aspect ratio');
    expect(err.message).toContain('(aspect ratio)');
  });

  it('never repeats a token or key that a message happens to contain', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJBSyJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    const err = klingErrorFromResponse({ status: 401, body: { code: 1002, message: `token Bearer ${jwt} is invalid` } });
    expect(JSON.stringify({ m: err.message, p: err.providerMessage, d: err.details })).not.toContain(jwt);
  });
});


describe('the single API key (Kling issues one now; sent as a Bearer token) [S26 @ai-sdk/klingai 4.0.16 release note]', () => {
  const answer = () => new Response(JSON.stringify({ code: 0, message: 'SUCCEED', data: { task_id: '1', task_status: 'processing' } }), { status: 200 });
  const ref = JSON.stringify({ kind: 'text2video', taskId: '1' });

  it('is sent as it is, with no JWT made; the key pair still signs a JWT; the API key wins when both are set', async () => {
    const seen: string[] = [];
    const fakeFetch = (async (_url: RequestInfo | URL, init?: RequestInit) => (seen.push(String((init?.headers as Record<string, string>).authorization)), answer())) as typeof fetch;
    const adapter = createKlingAdapter({ fetch: fakeFetch });
    const ctx = (credentials: Record<string, string>) => ({ config: { baseUrl: BASE, credentials }, projectDir, workDir: projectDir });
    await adapter.poll(ref, ctx({ apiKey: 'kl-0123456789abcdef' }));
    await adapter.poll(ref, ctx({ accessKey: 'AK', secretKey: 'SK-secret' }));
    await adapter.poll(ref, ctx({ apiKey: 'kl-0123456789abcdef', accessKey: 'AK', secretKey: 'SK-secret' }));
    expect(seen[0]).toBe('Bearer kl-0123456789abcdef');
    expect(seen[1]).toMatch(/^Bearer eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(seen[2]).toBe('Bearer kl-0123456789abcdef');
  });

  it('with neither form configured: an auth error naming both ways, nothing sent', async () => {
    let calls = 0;
    const adapter = createKlingAdapter({ fetch: (async () => (calls++, answer())) as unknown as typeof fetch });
    const err = await adapter.poll(ref, { config: { baseUrl: BASE, credentials: {} }, projectDir, workDir: projectDir }).catch((e) => e);
    expect(err.kind).toBe('auth');
    expect(err.providerMessage).toBe('no API key (or access key and secret key) is configured');
    expect(err.message).toContain('KLING_API_KEY, or KLING_ACCESS_KEY and KLING_SECRET_KEY');
    expect(calls).toBe(0);
  });

  it('never reaches an error message, even when Kling repeats it', async () => {
    const apiKey = 'kling_live_Zq8yWm3rTt6vPp0';
    const fakeFetch = (async () => new Response(JSON.stringify({ code: 1002, message: `key ${apiKey} is not valid`, request_id: 'r' }), { status: 401 })) as unknown as typeof fetch;
    const err = await createKlingAdapter({ fetch: fakeFetch })
      .poll(ref, { config: { baseUrl: BASE, credentials: { apiKey } }, projectDir, workDir: projectDir })
      .catch((e) => e);
    expect(err.kind).toBe('auth');
    expect(JSON.stringify({ m: err.message, p: err.providerMessage, d: err.details })).not.toContain(apiKey);
  });
});

/** A scripted Kling: answers by URL, records every request. */
function scripted(routes: (url: URL, init: RequestInit) => { status: number; body: unknown }) {
  const seen: { method: string; url: string; body?: string }[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input));
    seen.push({ method: init.method ?? 'GET', url: url.pathname + url.search, body: init.body as string | undefined });
    const { status, body } = routes(url, init);
    return new Response(JSON.stringify(body), { status });
  }) as typeof fetch;
  return { seen, fetchFn };
}
const task = (taskId: string, key?: string) => ({ task_id: taskId, task_status: 'submitted', task_info: key ? { external_task_id: key } : {} });
const ok = (data: unknown) => ({ status: 200, body: { code: 0, message: 'SUCCEED', request_id: 'r', data } });
const notFound = { status: 404, body: { code: 1203, message: 'task not found', request_id: 'r' } };
const actx = { config: { baseUrl: BASE, credentials: { apiKey: 'kling-key-123456' } }, projectDir, workDir: projectDir };

describe('finding a task by external_task_id [S25 query by external_task_id; 3P Kling API transcriptions: GET /v1/videos/{kind}?external_task_id=]', () => {
  it('asks the documented query form first, and takes the task that carries the key', async () => {
    const k = scripted((url) => (url.searchParams.get('external_task_id') === 'job-1' ? ok(task('8001', 'job-1')) : notFound));
    const found = await createKlingAdapter({ fetch: k.fetchFn }).reconcile!('job-1', spec(), actx);
    expect(JSON.parse(found!.ref)).toEqual({ kind: 'text2video', taskId: '8001', externalTaskId: 'job-1' });
    expect(k.seen.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /v1/videos/text2video?external_task_id=job-1']);
  });

  it('falls back to the path form where the query form finds nothing; a key found nowhere is not there', async () => {
    const k = scripted((url) => (url.pathname.endsWith('/image2video/job-2') ? ok(task('8002', 'job-2')) : notFound));
    const s = spec({ startFrame: 'refs/start.png' });
    const found = await createKlingAdapter({ fetch: k.fetchFn }).reconcile!('job-2', s, actx);
    expect(JSON.parse(found!.ref).taskId).toBe('8002');
    expect(k.seen.map((r) => r.url)).toEqual(['/v1/videos/image2video?external_task_id=job-2', '/v1/videos/image2video/job-2']);
    expect(await createKlingAdapter({ fetch: k.fetchFn }).reconcile!('job-9', s, actx)).toBeUndefined();
  });

  it('never takes another job’s task: a list answer (a server that ignores the query) is searched for the key', async () => {
    const list = [task('8100', 'someone-else'), task('8101', 'job-3'), task('8102')];
    const k = scripted((url) => (url.search ? ok(list) : notFound));
    const found = await createKlingAdapter({ fetch: k.fetchFn }).reconcile!('job-3', spec(), actx);
    expect(JSON.parse(found!.ref).taskId).toBe('8101');
    const none = scripted((url) => (url.search ? ok([task('8100', 'someone-else')]) : ok(task('8200', 'someone-else'))));
    expect(await createKlingAdapter({ fetch: none.fetchFn }).reconcile!('job-3', spec(), actx)).toBeUndefined();
  });
});

describe('a refused submit is checked by looking its key up, whatever Kling’s words', () => {
  const refusal = { status: 400, body: { code: 1201, message: 'Invalid request parameters', request_id: 'r' } };

  it('a refusal whose key Kling already holds is that task: returned, not paid for again', async () => {
    const k = scripted((url, init) => (init.method === 'POST' ? refusal : url.searchParams.get('external_task_id') === KEY ? ok(task('8300', KEY)) : notFound));
    const { ref } = await createKlingAdapter({ fetch: k.fetchFn }).submit(spec(), actx, { idempotencyKey: KEY });
    expect(JSON.parse(ref).taskId).toBe('8300');
    expect(k.seen.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('a refusal for a key Kling never saw stands, as the validation error it is', async () => {
    const k = scripted((_url, init) => (init.method === 'POST' ? { status: 400, body: { code: 1201, message: 'duration: must be between "3" and "15"' } } : notFound));
    const err = await createKlingAdapter({ fetch: k.fetchFn }).submit(spec(), actx, { idempotencyKey: KEY }).catch((e) => e);
    expect([err.kind, err.field]).toEqual(['validation', 'duration']);
    expect(k.seen.map((r) => r.method)).toEqual(['POST', 'GET', 'GET']);
  });

  it('when the lookup cannot be made, the error is the retryable one — never a refusal that says nothing was charged', async () => {
    const k = scripted((_url, init) => (init.method === 'POST' ? refusal : { status: 503, body: { code: 5001, message: 'maintenance' } }));
    const err = await createKlingAdapter({ fetch: k.fetchFn }).submit(spec(), actx, { idempotencyKey: KEY }).catch((e) => e);
    expect(err.kind).toBe('outage');
    expect(err.retryable).toBe(true);
  });
});
