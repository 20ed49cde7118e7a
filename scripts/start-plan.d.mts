export declare const SAMPLE_FOLDER: string;
export declare function parseStartArgs(args: readonly string[]): { project?: string; port?: string; passThrough: string[]; error?: string };
export declare function sampleLocation(input: { home: string; hasDocuments: boolean; existingCopies?: readonly string[] }): { dir: string; why: string };
