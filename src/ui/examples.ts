/** The example graphs shipped in graphs/, bundled as text so they load offline. */
const files = import.meta.glob('../../graphs/*.blockspin.json', { query: '?raw', import: 'default', eager: true });

export interface Example {
  name: string;
  text: string;
}

export const examples: Example[] = Object.entries(files)
  .map(([path, text]) => ({ name: path.split('/').pop()!.replace('.blockspin.json', ''), text: text as string }))
  .sort((a, b) => a.name.localeCompare(b.name));

/** The example opened on start: `?example=NAME` in the URL, else the first one. */
export function startExample(search: string): Example | undefined {
  const wanted = new URLSearchParams(search).get('example');
  return examples.find((e) => e.name === wanted) ?? examples[0];
}
