// The provider interface every adapter implements (DESIGN §6). The engine drives it the same way for the
// local animatic provider and for the cloud ones: submit → poll → fetch the result.
import type { AspectRatio, ProviderId, Tier } from '../../../shared/schema';

/** The normalized parameters of one generation. Its hash tells whether a take is stale. */
export interface GenerationRequest {
  shotId: string;
  /** 1-based position of the shot in the timeline, drawn on animatic cards. */
  shotNumber: number;
  title: string;
  prompt: string;
  negativePrompt: string;
  durationSec: number;
  aspectRatio: AspectRatio;
  tier: Tier;
  cfgScale: number;
  nativeAudio: boolean;
}

export interface ProviderContext {
  projectDir: string;
  /** A folder the provider may use for intermediate files (inside the project's cache/). */
  workDir: string;
}

export type PollResult =
  | { state: 'queued'; queuePosition?: number }
  | { state: 'running'; progress?: number }
  | { state: 'succeeded'; result: { kind: 'file'; path: string } | { kind: 'url'; url: string } }
  | { state: 'failed'; error: string };

export interface ProviderAdapter {
  id: ProviderId;
  label: string;
  /** Starts a generation and returns the provider's reference for it. */
  submit(req: GenerationRequest, ctx: ProviderContext): Promise<{ ref: string }>;
  poll(ref: string, req: GenerationRequest, ctx: ProviderContext): Promise<PollResult>;
  /** How long to wait between polls. */
  pollIntervalMs: number;
  cancel?(ref: string, ctx: ProviderContext): Promise<void>;
}

/** Reference images turned into what the provider accepts (a data URI or an https URL). */
export interface ResolvedAssets {
  startFrame?: string;
  endFrame?: string;
  elements: { name: string; frontal?: string; references: string[]; libraryId?: string }[];
}
