// Comlink ships this adapter's types beside it as node-adapter.d.ts; Node needs the .mjs path to load it.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  export { default } from 'comlink/dist/esm/node-adapter';
}
