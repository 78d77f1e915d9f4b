/** Types for digest.mjs (the app runs it with plain node; the reconciler imports it from TypeScript). */
export declare const digestFiles: (
  files: ReadonlyArray<{ readonly path: string; readonly content: Uint8Array }>,
) => string
export declare const listFiles: (dir: string) => string[]
export declare const digestDir: (dir: string) => string | null
