// The composition root's services, handed to components through context (not module singletons), so a
// test can mount any feature with its own client and store.
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { AppClient } from '../api/client';
import type { Commands } from '../store/commands';
import type { EditRegistry } from '../store/edits';
import type { StudioState, StudioStore } from '../store/store';

/** The preview <video>, registered by the player; read by keyboard shortcuts and the timeline. */
export interface PlayerHandle {
  video: HTMLVideoElement | null;
}

export interface StudioServices {
  client: AppClient;
  store: StudioStore;
  commands: Commands;
  edits: EditRegistry;
  player: PlayerHandle;
}

const StudioContext = createContext<StudioServices | null>(null);

export function StudioProvider({ services, children }: { services: StudioServices; children: ReactNode }) {
  return <StudioContext.Provider value={services}>{children}</StudioContext.Provider>;
}

export function useServices(): StudioServices {
  const services = useContext(StudioContext);
  if (!services) throw new Error('StudioProvider is missing above this component');
  return services;
}

export function useStudio<T>(selector: (state: StudioState) => T): T {
  return useStore(useServices().store, selector);
}

export function useCommands(): Commands {
  return useServices().commands;
}
