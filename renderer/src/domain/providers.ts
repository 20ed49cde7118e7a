import type { ProviderId } from '../../../shared/schema';

export const PROVIDER_LABELS: Record<ProviderId, string> = {
  animatic: 'Animatic (local)',
  fal: 'fal.ai',
  replicate: 'Replicate',
  lumenfall: 'Lumenfall',
  kling: 'Kling (official)',
};
