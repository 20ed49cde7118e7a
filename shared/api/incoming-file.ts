import { z } from 'zod';

/** A file to bring into the project: an absolute path (desktop drop/pick) or an upload in cache/imports/ (browser). */
export const IncomingFile = z.string().min(1).max(4096);
