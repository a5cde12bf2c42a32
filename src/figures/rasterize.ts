/** SVG -> PNG in Node (the CLI), with resvg and the system's fonts (DejaVu on Debian). */
import { Resvg } from '@resvg/resvg-js';
import { encodePng } from './png-text';

export function svgToPng(svg: string, graphText?: string, scale = 2): Uint8Array {
  const rendered = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    background: 'white',
  }).render();
  return encodePng(new Uint8Array(rendered.pixels), rendered.width, rendered.height, graphText);
}
