import { useCallback, useLayoutEffect, useRef, useState, type CSSProperties, type ReactNode, type RefObject } from 'react';
import './layout.css';
import { DEFAULT_LAYOUT, fitLayout, layoutRange, loadLayout, saveLayout, type LayoutKey, type LayoutSizes } from './layout-sizes';
import { Splitter } from './splitter';

/** The grid's size, measured: the ranges of the splitters depend on it. */
function useBoxSize(ref: RefObject<HTMLElement | null>): { width: number; height: number } {
  const [box, setBox] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const width = Math.round(el.clientWidth);
      const height = Math.round(el.clientHeight);
      setBox((prev) => (prev.width === width && prev.height === height ? prev : { width, height }));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return box;
}

const cssVar = (key: LayoutKey) => `--layout-${key}`;

/**
 * The studio's main grid with its three splitters. Sizes live in CSS variables on the grid: a drag writes
 * the variable directly and commits once at the end, so no region re-renders while the pointer moves.
 * The sizes are remembered in localStorage (per browser/app, not per project: they are about the screen).
 */
export function StudioMain({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLElement>(null);
  const [sizes, setSizes] = useState<LayoutSizes>(() => loadLayout());
  const box = useBoxSize(ref);
  const applied = fitLayout({ sizes, ...box });

  const preview = useCallback((key: LayoutKey, value: number) => {
    ref.current?.style.setProperty(cssVar(key), `${value}px`);
  }, []);
  const commit = useCallback((key: LayoutKey, value: number) => {
    setSizes((prev) => ({ ...prev, [key]: value }));
  }, []);

  // Remember the sizes a person chose (not on first load: nothing has changed yet).
  const first = useRef(true);
  useLayoutEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    saveLayout(sizes);
  }, [sizes]);

  const style = {
    [cssVar('left')]: `${applied.left}px`,
    [cssVar('right')]: `${applied.right}px`,
    [cssVar('bottom')]: `${applied.bottom}px`,
  } as CSSProperties;

  const props = (key: LayoutKey) => {
    const range = layoutRange({ key, sizes: applied, ...box });
    return {
      value: applied[key],
      // Before the grid is measured the window's limits are unknown; the region's own are used.
      min: range.min,
      max: box.width > 0 ? range.max : Math.max(range.min, applied[key]),
      onPreview: (v: number) => preview(key, v),
      onCommit: (v: number) => commit(key, v),
      onReset: () => commit(key, DEFAULT_LAYOUT[key]),
    };
  };

  return (
    <main ref={ref} className="studio__main" style={style}>
      {children}
      <Splitter
        label="Resize shot list"
        title="Drag to resize the shot list · double-click or Enter resets"
        orientation="vertical"
        grow={1}
        className="splitter--left"
        {...props('left')}
      />
      <Splitter
        label="Resize inspector"
        title="Drag to resize the inspector and jobs · double-click or Enter resets"
        orientation="vertical"
        grow={-1}
        className="splitter--right"
        {...props('right')}
      />
      <Splitter
        label="Resize timeline"
        title="Drag to give the timeline more or less height · double-click or Enter resets"
        orientation="horizontal"
        grow={-1}
        className="splitter--bottom"
        {...props('bottom')}
      />
    </main>
  );
}
