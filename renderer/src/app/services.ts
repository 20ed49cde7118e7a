import { createClient } from '../api/client';
import { createCommands } from '../store/commands';
import { EditRegistry } from '../store/edits';
import { createStudioStore } from '../store/store';
import { connectStore } from '../store/sync';
import type { StudioServices } from './studio-context';

export function createServices(): StudioServices {
  const client = createClient();
  const store = createStudioStore();
  const edits = new EditRegistry();
  const commands = createCommands({ store, client, edits });
  connectStore({ store, client });
  return { client, store, edits, commands, player: { video: null } };
}
