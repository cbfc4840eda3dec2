import { type FSWatcher, type Stats, watch } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { type Identity, type TokenEntry, TokenFileError, parseTokenFile } from '#core';
import { type Logger } from '#runtime';
import { tokenMatchesHash } from './token-hash.js';

/** A token file is small; a bigger one is a mistake, not a file to read into memory. */
const MAX_TOKEN_FILE_BYTES = 4 * 1024 * 1024;

const fingerprint = (s: Stats): string => `${s.ino}:${s.size}:${s.mtimeMs}`;

/**
 * Identities from a token file, reloaded while running: `fs.watch` on its folder (editors
 * and `mv` replace the file, which a watch on the file itself would miss) plus a periodic
 * stat for filesystems where watches are not delivered. A file that fails to load keeps
 * the last good set in force and logs why, without any value from the file.
 */
export class TokenFileIdentities {
  private entries: readonly TokenEntry[] = [];
  private seen = '';
  private watcher: FSWatcher | undefined;
  private poller: NodeJS.Timeout | undefined;
  private reloading: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    private readonly log: Logger,
  ) {}

  /** Loads the file once (throwing if it is missing or malformed: no start on a bad file), then follows it. */
  static async open(path: string, log: Logger, pollMs = 1_000): Promise<TokenFileIdentities> {
    const identities = new TokenFileIdentities(path, log);
    await identities.load();
    identities.follow(pollMs);
    return identities;
  }

  get size(): number {
    return this.entries.length;
  }

  /** Every entry is compared, so how long this takes does not tell which entry matched. */
  verify(token: string): Identity | undefined {
    let found: TokenEntry | undefined;
    for (const entry of this.entries) if (tokenMatchesHash(token, entry.sha256) && !found) found = entry;
    return found && { name: found.name, role: found.role, source: 'token-file' };
  }

  close(): void {
    this.watcher?.close();
    clearInterval(this.poller);
  }

  /** Resolves when any reload already under way has finished (tests wait on it). */
  settled(): Promise<void> {
    return this.reloading;
  }

  private async load(): Promise<void> {
    const info = await stat(this.path).catch(() => {
      throw new TokenFileError(`cannot read token file ${this.path}`);
    });
    if (info.size > MAX_TOKEN_FILE_BYTES) throw new TokenFileError(`token file ${this.path} is over ${MAX_TOKEN_FILE_BYTES} bytes`);
    const text = await readFile(this.path, 'utf8').catch(() => {
      throw new TokenFileError(`cannot read token file ${this.path}`);
    });
    try {
      this.entries = parseTokenFile(text).tokens;
    } catch (error) {
      throw new TokenFileError(`token file ${this.path}: ${(error as Error).message}`);
    }
    this.seen = fingerprint(info);
  }

  private follow(pollMs: number): void {
    const file = basename(this.path);
    try {
      this.watcher = watch(dirname(this.path), (_event, changed) => {
        if (!changed || changed === file) this.reloadIfChanged();
      });
      this.watcher.on('error', () => undefined);
    } catch {
      // No watch support here: the poller alone keeps the file followed.
    }
    this.poller = setInterval(() => this.reloadIfChanged(), pollMs);
    this.poller.unref();
  }

  private reloadIfChanged(): void {
    this.reloading = this.reloading.then(async () => {
      const info = await stat(this.path).catch(() => undefined);
      if (!info) {
        if (this.seen !== 'missing') this.log.error({ tokenFile: this.path }, 'token file is gone; keeping the last good identities');
        this.seen = 'missing';
        return;
      }
      if (fingerprint(info) === this.seen) return;
      try {
        await this.load();
        this.log.info({ tokenFile: this.path, identities: this.entries.length }, 'token file reloaded');
      } catch (error) {
        // Remember the bad version so it is reported once, not on every poll.
        this.seen = fingerprint(info);
        this.log.error({ tokenFile: this.path, problem: (error as Error).message }, 'token file not reloaded; keeping the last good identities');
      }
    });
  }
}
