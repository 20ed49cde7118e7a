// The provider interface every adapter implements (docs/architecture.md §6). The engine drives the local animatic and
// the cloud providers the same way: validate → prepare assets → submit → poll → fetch the result.
import type { GenerationSpec } from '../../../shared/generation';
import type { ProviderId } from '../../../shared/schema';

export interface ProviderConfig {
  /** Replaces the provider's documented base exactly (settings or STORYREEL_<PROVIDER>_URL). */
  baseUrl: string;
  /** e.g. { key } for fal/Replicate/Lumenfall, { accessKey, secretKey } for Kling. Never logged. */
  credentials: Record<string, string>;
}

export interface AdapterContext {
  config: ProviderConfig;
  /** Absolute project folder: reference images are read from here. */
  projectDir: string;
  /** A folder the adapter may use for intermediate files (inside the project's cache/). */
  workDir: string;
  signal?: AbortSignal;
}

/** Reference images turned into what the provider accepts (a data URI or an https URL). */
export interface ResolvedAssets {
  startFrame?: string;
  endFrame?: string;
  elements: { name: string; frontal?: string; references: string[]; libraryId?: string; video?: string; voiceId?: string }[];
}

/** The exact HTTP request a spec becomes — what golden tests compare. Auth headers are left out. */
export interface WireRequest {
  method: 'POST' | 'GET' | 'PUT' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

export type ClipResult =
  | { kind: 'file'; path: string }
  | { kind: 'url'; url: string; expiresAt?: string; sizeBytes?: number };

export type PollResult =
  | { state: 'queued'; queuePosition?: number }
  | { state: 'running'; progress?: number }
  | { state: 'succeeded'; result: ClipResult; actualUsd?: number; providerCost?: string }
  | { state: 'failed'; error: Error };

export interface SubmitOptions {
  /** Sent where the provider supports it (Lumenfall idempotency_key, Kling external_task_id). */
  idempotencyKey: string;
}

export interface ProviderAdapter {
  id: ProviderId;
  /** First poll delay; the engine backs off from here to `maxPollIntervalMs`. */
  pollIntervalMs: number;
  maxPollIntervalMs: number;
  /** Pure: the wire request for a spec whose assets are already resolved. */
  buildSubmit(spec: GenerationSpec, assets: ResolvedAssets, opts: SubmitOptions & { baseUrl: string }): WireRequest;
  /** Starts a generation; returns the provider's reference (an opaque string the engine journals). */
  submit(spec: GenerationSpec, ctx: AdapterContext, opts: SubmitOptions): Promise<{ ref: string }>;
  poll(ref: string, ctx: AdapterContext): Promise<PollResult>;
  /** Provider-side cancel; absent where the provider has none (the engine then stops locally). */
  cancel?(ref: string, ctx: AdapterContext): Promise<void>;
  /** After a crash between journaling `submitting` and the provider's answer: find the job by its key. */
  reconcile?(idempotencyKey: string, spec: GenerationSpec, ctx: AdapterContext): Promise<{ ref: string } | undefined>;
  /**
   * Pure: the reference for a job known only by the id the provider's dashboard shows (attached by hand, or
   * recovered from a take), so it is polled and fetched the normal way. Absent where an id alone is not enough.
   */
  refForJobId?(providerJobId: string, spec: GenerationSpec): string;
}
