import { accessSync, constants, readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * A setting that names a file this process must be able to read (a CA bundle, a
 * certificate, a key). Checked at start, so a wrong path stops the process with a
 * message naming the setting and the path, never the file's content.
 */
export const readableFile = z
  .string()
  .min(1, 'must be a file path')
  .refine((path) => {
    try {
      accessSync(path, constants.R_OK);
      return true;
    } catch {
      return false;
    }
  }, 'must name a file this process can read');

export const readSettingFile = (path: string): Buffer => readFileSync(path);
