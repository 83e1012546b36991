// LogAnalyticsSource's options are a trust boundary (config and env feed them): each bad value is refused at
// construction, naming the option and the value.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TokenCredential } from '@azure/identity';
import { SourceError } from '../../src/sources/eventSource.js';
import { LogAnalyticsSource } from '../../src/sources/logAnalyticsSource.js';
import type { LogAnalyticsSourceOptions } from '../../src/sources/logAnalyticsSource.js';

const WORKSPACE = '6e0f4a2b-1c3d-4e5f-8a9b-0c1d2e3f4a5b';
const credential: TokenCredential = { getToken: async () => ({ token: 'unused', expiresOnTimestamp: 0 }) };

describe('LogAnalyticsSource options', () => {
  const base = { workspaceId: WORKSPACE, credential };
  const invalid = (options: unknown, pattern: RegExp) => {
    assert.throws(
      () => new LogAnalyticsSource(options as LogAnalyticsSourceOptions),
      (e: unknown) => e instanceof SourceError && e.code === 'InvalidOptions' && pattern.test(e.message),
    );
  };

  it('rejects a workspace id that is not a GUID, naming the value', () => {
    invalid({ ...base, workspaceId: '../../subscriptions/x' }, /options\.workspaceId: must be a workspace id \(a GUID\), got "\.\.\/\.\.\/subscriptions\/x"/);
    invalid({ ...base, workspaceId: `${WORKSPACE}/query?x=1` }, /options\.workspaceId/);
  });

  it('rejects a server timeout above the service maximum of 600 s', () => {
    invalid({ ...base, serverTimeoutSeconds: 601 }, /options\.serverTimeoutSeconds: must be at most 600/);
    invalid({ ...base, serverTimeoutSeconds: 0 }, /options\.serverTimeoutSeconds/);
  });

  it('requires an https endpoint that ends in /v1', () => {
    invalid({ ...base, endpoint: 'https://api.loganalytics.io' }, /options\.endpoint: must be an https URL whose path ends in \/v1/);
    invalid({ ...base, endpoint: 'http://api.loganalytics.io/v1' }, /options\.endpoint/);
    assert.equal(new LogAnalyticsSource({ ...base, endpoint: 'https://api.loganalytics.io/v1/' }).description, WORKSPACE);
  });

  it('rejects unknown options and a credential without getToken', () => {
    invalid({ ...base, serverTimeout: 100 }, /Unrecognized key: "serverTimeout"/);
    invalid({ ...base, credential: { token: 'x' } }, /options\.credential: must be a TokenCredential/);
  });
});
