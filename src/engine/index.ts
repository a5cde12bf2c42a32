export * from './cache';
export * from './engine';
export * from './execute';
export * from './keys';
export * from './status';
