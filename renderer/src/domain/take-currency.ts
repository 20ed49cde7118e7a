// Which takes still match a shot's current parameters. Mirrors buildRequest/requestParams in
// electron/core/jobs/request.ts (the core hashes these with node:crypto, which the renderer does not
// have, so we compare the parameters themselves). Keep the two in step; moving the pure part into
// shared/ would make this a single function.
import type { Project, ProviderId, Shot, Take } from '../../../shared/schema';
import { shotAspect } from '../../../shared/schema';

export function currentParams(project: Project, shot: Shot, provider: ProviderId = project.settings.provider): Record<string, unknown> {
  const params = {
    provider,
    prompt: shot.prompt,
    negativePrompt: shot.negativePrompt,
    durationSec: shot.durationSec,
    aspectRatio: shotAspect(project, shot),
    tier: shot.tier ?? project.settings.tier,
    cfgScale: shot.cfgScale,
    nativeAudio: shot.audio.native || project.settings.nativeAudio,
  };
  // The animatic draws the title on its card, so only there does the title change the result.
  return provider === 'animatic' ? { ...params, title: shot.title } : params;
}

function stable(params: Record<string, unknown>): string {
  return JSON.stringify(params, Object.keys(params).sort());
}

/** A predicate that tells whether a take of this shot was made with its current parameters. */
export function currentTakeTest(project: Project, shot: Shot): (take: Take) => boolean {
  const want = stable(currentParams(project, shot, project.settings.provider));
  return (take) => take.provider === project.settings.provider && stable(take.request.params) === want;
}
