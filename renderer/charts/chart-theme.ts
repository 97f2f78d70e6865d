// Chart colours come from the stylesheet's custom properties, so light and dark follow the OS
// preference in one place (styles.css) and the canvas matches the page.

export interface ChartTheme {
  applied: string;
  recommended: string;
  abandon: string;
  band: string;
  ceiling: string;
  grid: string;
  text: string;
  font: string;
}

const FALLBACK: ChartTheme = {
  applied: '#1f6feb',
  recommended: '#8250df',
  abandon: '#bc4c00',
  band: 'rgba(26, 127, 55, 0.12)',
  ceiling: '#cf222e',
  grid: 'rgba(128, 128, 128, 0.25)',
  text: '#57606a',
  font: 'system-ui, sans-serif',
};

export function readChartTheme(el: Element = document.documentElement): ChartTheme {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    applied: v('--chart-applied', FALLBACK.applied),
    recommended: v('--chart-recommended', FALLBACK.recommended),
    abandon: v('--chart-abandon', FALLBACK.abandon),
    band: v('--chart-band', FALLBACK.band),
    ceiling: v('--chart-ceiling', FALLBACK.ceiling),
    grid: v('--chart-grid', FALLBACK.grid),
    text: v('--chart-text', FALLBACK.text),
    font: v('--font-body', FALLBACK.font),
  };
}

/** Calls `listener` when the OS switches between light and dark. */
export function onColorSchemeChange(listener: () => void): () => void {
  const mq = window.matchMedia('(prefers-color-scheme: dark)');
  mq.addEventListener('change', listener);
  return () => mq.removeEventListener('change', listener);
}
