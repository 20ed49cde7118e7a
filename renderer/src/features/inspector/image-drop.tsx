// Bringing an image in by drop or by a "Choose…" button: both end in one `onFile`. The core checks and
// copies the file (jpg/png, ≤ 10 MB, ≥ 300 px, aspect 0.4–2.5); its refusal is shown beside the well.
import { useCallback, useRef, useState, type CSSProperties, type DragEvent, type ReactNode } from 'react';
import { useServices } from '../../app/studio-context';
import type { Mutation } from '../../store/commands';
import type { MethodInput } from '../../../../shared/api';

export const IMAGE_TYPES = 'image/png,image/jpeg';

function firstImage(e: DragEvent): File | null {
  const files = [...(e.dataTransfer?.files ?? [])];
  return files.find((f) => /^image\//.test(f.type) || /\.(png|jpe?g)$/i.test(f.name)) ?? files[0] ?? null;
}

function hasFiles(e: DragEvent): boolean {
  return [...(e.dataTransfer?.types ?? [])].includes('Files');
}

/**
 * Stages a picked or dropped image and runs one document edit with its path. Keeps the core's message
 * when it refuses the image (the funnel also shows it as a toast), so it can sit next to the control.
 */
export function useImageImport<M extends Mutation>(build: (path: string) => { method: M; input: MethodInput<M> }, failTitle: string) {
  const { commands, store } = useServices();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const buildRef = useRef(build);
  buildRef.current = build;

  const importFile = useCallback(
    async (file: File) => {
      setError(null);
      if (!/^image\/(png|jpeg)$/.test(file.type) && !/\.(png|jpe?g)$/i.test(file.name)) {
        setError(`Nothing was changed: ${file.name} is not a JPG or PNG image.`);
        return false;
      }
      setBusy(true);
      try {
        const staged = await commands.stageFile(file);
        if (!staged) {
          setError(`Nothing was changed: ${file.name} could not be read.`);
          return false;
        }
        const { method, input } = buildRef.current(staged);
        const result = await commands.mutate(method, input, failTitle);
        if (!result) {
          const toast = store.getState().toasts.findLast((t) => t.title === failTitle);
          setError(toast?.message ?? 'Nothing was changed: the image was refused.');
          return false;
        }
        return true;
      } finally {
        setBusy(false);
      }
    },
    [commands, store, failTitle],
  );
  return { busy, error, clearError: () => setError(null), importFile };
}

/** A drop target with a hidden file input; `children` gets `pick()` for its "Choose image…" button. */
export function ImageDropZone({
  onFile,
  disabled,
  className,
  style,
  label,
  children,
}: {
  onFile: (file: File) => void;
  disabled?: boolean;
  className?: string;
  style?: CSSProperties;
  /** Names the hidden file input for assistive tech and tests. */
  label: string;
  children: (props: { pick: () => void; dragOver: boolean }) => ReactNode;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [dragOver, setDragOver] = useState(false);
  const depth = useRef(0);
  return (
    <div
      className={`${className ?? ''}${dragOver ? ' is-dragover' : ''}`}
      style={style}
      onDragEnter={(e) => {
        if (disabled || !hasFiles(e)) return;
        e.preventDefault();
        depth.current += 1;
        setDragOver(true);
      }}
      onDragOver={(e) => {
        if (disabled || !hasFiles(e)) return;
        e.preventDefault();
        e.stopPropagation();
        if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setDragOver(false);
      }}
      onDrop={(e) => {
        depth.current = 0;
        setDragOver(false);
        if (disabled) return;
        const file = firstImage(e);
        if (!file) return;
        e.preventDefault();
        e.stopPropagation();
        onFile(file);
      }}
    >
      <input
        ref={input}
        type="file"
        accept={IMAGE_TYPES}
        hidden
        aria-label={label}
        disabled={disabled}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) onFile(file);
        }}
      />
      {children({ pick: () => input.current?.click(), dragOver })}
    </div>
  );
}
