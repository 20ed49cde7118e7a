// The provider list (configured or not, key hint, base URL), shared by the toolbar's provider picker and
// the Settings dialog, so saving a key there enables the provider here at once.
import { create } from 'zustand';
import type { ProviderStatus, StudioClient } from '../../../../shared/api';

interface ProvidersState {
  list: ProviderStatus[] | null;
  error?: string;
  set: (list: ProviderStatus[]) => void;
  refresh: (client: Pick<StudioClient, 'invoke'>) => Promise<void>;
}

export const useProviders = create<ProvidersState>()((set) => ({
  list: null,
  set: (list) => set({ list, error: undefined }),
  refresh: async (client) => {
    try {
      set({ list: await client.invoke('providers.list', {}), error: undefined });
    } catch (err) {
      set({ error: err instanceof Error ? err.message : String(err) });
    }
  },
}));
