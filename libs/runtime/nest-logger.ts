import { type LoggerService } from '@nestjs/common';
import { type Logger } from './logger.js';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * Nest's logger over pino: route mapping, lifecycle and unhandled exceptions
 * become JSON lines (the stack a field of one line), never coloured multi-line text.
 */
export class PinoNestLogger implements LoggerService {
  private readonly pino: Logger;

  constructor(log: Logger) {
    this.pino = log.child({ component: 'nest' });
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    // Nest calls error(message, stack?, context?).
    const [stack, ...others] = rest;
    this.write('error', message, others, typeof stack === 'string' ? { stack } : {});
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: Level, message: unknown, rest: readonly unknown[], fields: Record<string, unknown> = {}): void {
    // Nest passes the context (class name) last.
    const context = rest.at(-1);
    const entry = { ...fields, ...(typeof context === 'string' ? { context } : {}) };
    if (message instanceof Error) this.pino[level]({ ...entry, err: message }, message.message);
    else if (typeof message === 'string') this.pino[level](entry, message);
    else this.pino[level]({ ...entry, detail: message }, 'nest');
  }
}
