/** The example graphs shipped in graphs/, bundled as text so they load offline. */
const files = import.meta.glob('../../graphs/*.blockspin.json', { query: '?raw', import: 'default', eager: true });

export interface Example {
  name: string;
  text: string;
}

export const examples: Example[] = Object.entries(files)
  .map(([path, text]) => ({ name: path.split('/').pop()!.replace('.blockspin.json', ''), text: text as string }))
  .sort((a, b) => a.name.localeCompare(b.name));
