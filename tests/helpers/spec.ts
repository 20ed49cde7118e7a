// GenerationSpec factories for tests: the fields every test would otherwise repeat, then the file's own
// defaults, then each case's overrides.
import type { GenerationSpec } from '../../shared/generation';

const BASE: Omit<GenerationSpec, 'provider'> = {
  tier: 'standard',
  aspectRatio: '16:9',
  durationSec: 5,
  audio: false,
  cfgScale: 0.5,
  negativePrompt: '',
  prompt: 'A lighthouse in a storm at dusk.',
  voiceIds: [],
  elements: [],
};

export function specFactory(defaults: Pick<GenerationSpec, 'provider'> & Partial<GenerationSpec>): (over?: Partial<GenerationSpec>) => GenerationSpec {
  return (over = {}) => ({ ...BASE, ...defaults, ...over });
}
