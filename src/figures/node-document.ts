/** A DOM document for rendering figures in Node (the CLI, tests), from linkedom. */
import { parseHTML } from 'linkedom';

export function nodeDocument(): Document {
  return parseHTML('<!doctype html><html><body></body></html>').document as unknown as Document;
}
