// library.createVoice: a provider voice id made from a voice's sample (providers/voice-create.ts), stored in
// the voice's providerIds and recorded in the ledger. One creation per voice and provider at a time (a second
// click while one runs is refused, so nothing is charged twice). Not journaled: a crash while it waits loses
// only the wait (docs/providers.md §2.9).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../../shared/errors';
import { CAPABILITIES, credentialEnvHint } from '../../../shared/capabilities';
import { VOICE_CREATE_TIMEOUT_SEC } from '../../../shared/limits';
import { VOICE_CREATE_PRICE_USD, voiceCreatePriceText, type VoiceCreateProvider } from '../../../shared/voice-create';
import type { ProjectSession } from '../project/session';
import type { ConfigResolver } from '../providers/registry';
import { createVoiceOnFal, createVoiceOnKling, type CreatedVoice, type VoiceCreateRun } from '../providers/voice-create';
import { appendLedger } from '../jobs/ledger';
import type { Handlers, Send } from './handlers';

const SAMPLE_TYPES: Record<string, string> = {
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.aac': 'audio/aac',
  '.flac': 'audio/flac',
  '.ogg': 'audio/ogg',
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
};

export class VoicesService {
  private readonly running = new Set<string>();

  constructor(
    private readonly opts: {
      session: ProjectSession;
      resolveConfig: ConfigResolver;
      send: Send;
      /** Tests shorten the wait. */
      timeoutMs?: number;
      pollMs?: number;
    },
  ) {}

  private async create(voiceId: string, provider: VoiceCreateProvider, sampleUrl: string | undefined) {
    const { session, send } = this.opts;
    const voice = session.current.voices.find((v) => v.id === voiceId);
    if (!voice) throw new StudioError('NOT_FOUND', `There is no voice ${voiceId}.`);
    const label = CAPABILITIES[provider].label;
    if (!voice.sample) throw new StudioError('INVALID_INPUT', `voice “${voice.name}”: no sample yet. Add a 5–30 s recording of the voice first. Nothing was sent to ${label}.`);
    const config = this.opts.resolveConfig(provider);
    if (!config) throw new StudioError('INVALID_INPUT', `voice “${voice.name}”: no ${label} key is set (${credentialEnvHint(provider)}, or Settings). Nothing was sent.`);
    const key = `${voiceId}:${provider}`;
    if (this.running.has(key)) throw new StudioError('INVALID_INPUT', `voice “${voice.name}” is already being created on ${label}; wait for it rather than paying twice.`);
    this.running.add(key);
    const taskId = `voice-${voiceId}-${provider}`;
    const progress = (text: string, done = false) => send('task.progress', { taskId, kind: 'voice', label: `${voice.name} on ${label}: ${text}`, fraction: done ? 1 : null, done });
    const ctx = { config, projectDir: session.dir, workDir: path.join(session.dir, 'cache') };
    const run: VoiceCreateRun = { timeoutMs: this.opts.timeoutMs ?? VOICE_CREATE_TIMEOUT_SEC * 1000, pollMs: this.opts.pollMs, onProgress: (t) => progress(t) };
    let created: CreatedVoice;
    try {
      if (provider === 'fal') {
        const ext = path.extname(voice.sample.path).toLowerCase();
        const data = await fs.readFile(path.join(session.dir, voice.sample.path)).catch(() => {
          throw new StudioError('NOT_FOUND', `voice “${voice.name}”: its sample ${voice.sample!.path} is missing from the project folder. Add the sample again. Nothing was sent.`);
        });
        created = await createVoiceOnFal(ctx, { data, contentType: SAMPLE_TYPES[ext] ?? 'application/octet-stream', fileName: path.basename(voice.sample.path) }, run);
      } else {
        created = await createVoiceOnKling(ctx, { name: voice.name, sampleUrl }, run);
      }
    } catch (err) {
      // The caller gets the error itself (the library shows it where the click was): the event only ends the line.
      progress('stopped', true);
      throw err;
    } finally {
      this.running.delete(key);
    }
    const usd = VOICE_CREATE_PRICE_USD[provider];
    // A money line of its own: an 'actual' entry keyed by the voice, never by a generation job.
    await appendLedger(session.dir, {
      at: new Date().toISOString(),
      kind: 'actual',
      jobId: `voice:${voiceId}`,
      provider,
      ...(usd !== null ? { usd } : {}),
      ...(created.providerCost ? { providerCost: created.providerCost } : {}),
      providerJobId: created.requestId,
      note: `create voice “${voice.name}” (${voiceCreatePriceText(provider)})`,
    });
    await session.edit(`Create voice “${voice.name}” on ${label}`, (p) => {
      const v = p.voices.find((x) => x.id === voiceId);
      if (!v) throw new StudioError('NOT_FOUND', `The voice was removed while ${label} created it; its ${label} id is ${created.providerVoiceId} (paste it into a voice to use it).`);
      v.providerIds = { ...v.providerIds, [provider]: created.providerVoiceId };
    });
    progress('done', true);
    return { voiceId, provider, providerVoiceId: created.providerVoiceId, usd };
  }

  handlers() {
    return {
      'library.createVoice': ({ voiceId, provider, sampleUrl }) => this.create(voiceId, provider, sampleUrl),
    } satisfies Partial<Handlers>;
  }
}
