import { useLayoutEffect, useRef, useState } from "react";

/**
 * The width the chart's box has on the page, kept current as it resizes. The charts draw at that size
 * instead of scaling one drawing, so their text stays legible from a 390 px phone to a wide screen.
 */
export function useChartWidth<T extends HTMLElement>(initial = 480) {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(initial);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(element.clientWidth);
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.floor(entry.contentRect.width));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}
