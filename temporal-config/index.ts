export * from './search-attributes';
export * from './dev-server';
