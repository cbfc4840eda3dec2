import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { InvalidSettingsError, parseSettings } from './parse-settings.js';
import { controlSecret, port, urlList } from './setting-types.js';

describe(parseSettings.name, () => {
  const schema = z.object({ ETCD_ENDPOINTS: urlList, API_PORT: port.default(8080) });

  it('should return typed settings with defaults applied', () => {
    expect(parseSettings(schema, { ETCD_ENDPOINTS: 'http://127.0.0.1:2379, http://127.0.0.1:2380' })).toEqual({
      ETCD_ENDPOINTS: ['http://127.0.0.1:2379', 'http://127.0.0.1:2380'],
      API_PORT: 8080,
    });
  });

  it('should name every bad setting and the value it got', () => {
    expect.assertions(3);
    try {
      parseSettings(schema, { API_PORT: '99999' });
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidSettingsError);
      expect((error as Error).message).toContain('ETCD_ENDPOINTS');
      expect((error as Error).message).toContain('API_PORT: Too big: expected number to be <=65535 (got "99999")');
    }
  });

  it('should name a bad secret without showing any of it', () => {
    const secrets = z.object({ CONTROL_SECRET: controlSecret, TEMPORAL_API_KEY: z.string().min(40) });
    const attempt = (): unknown => parseSettings(secrets, { CONTROL_SECRET: 'hunter2-too-short', TEMPORAL_API_KEY: 'key-abc' });
    expect(attempt).toThrow(/CONTROL_SECRET: .*\(got 17 characters, not shown\)/);
    expect(attempt).toThrow(/TEMPORAL_API_KEY/);
    expect(attempt).not.toThrow(/hunter2|key-abc/);
  });
});
