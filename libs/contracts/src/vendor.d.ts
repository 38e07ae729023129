// class-transformer ships the metadata storage as CommonJS without a declaration next to it.
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}
