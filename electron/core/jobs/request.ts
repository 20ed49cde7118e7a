// Turns a shot into the normalized generation request, and hashes it so stale takes can be recognised.
import { createHash } from 'node:crypto';
import { shotAspect, type Project, type ProviderId, type Shot } from '../../../shared/schema';
import type { GenerationRequest } from '../providers/provider';

export function buildRequest(project: Project, shot: Shot): GenerationRequest {
  const index = project.shots.findIndex((s) => s.id === shot.id);
  return {
    shotId: shot.id,
    shotNumber: index + 1,
    title: shot.title,
    prompt: shot.prompt,
    negativePrompt: shot.negativePrompt,
    durationSec: shot.durationSec,
    aspectRatio: shotAspect(project, shot),
    tier: shot.tier ?? project.settings.tier,
    cfgScale: shot.cfgScale,
    nativeAudio: shot.audio.native || project.settings.nativeAudio,
  };
}

/**
 * The parameters that decide what a provider returns. The shot's position is left out (reordering must
 * not make takes stale); the title counts only for the animatic, which draws it on the card.
 */
export function requestParams(provider: ProviderId, req: GenerationRequest): Record<string, unknown> {
  const { shotId: _id, shotNumber: _n, title, ...params } = req;
  return provider === 'animatic' ? { provider, title, ...params } : { provider, ...params };
}

export function requestHash(params: Record<string, unknown>): string {
  const stable = JSON.stringify(params, Object.keys(params).sort());
  return createHash('sha256').update(stable).digest('hex').slice(0, 16);
}

export function currentHash(project: Project, shot: Shot, provider: ProviderId = project.settings.provider): string {
  return requestHash(requestParams(provider, buildRequest(project, shot)));
}
