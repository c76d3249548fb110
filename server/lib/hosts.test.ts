import { describe, expect, it } from 'vitest';
import { hostnameProblem, isLocalName, normalizeHost, parseDomainInput } from './hosts.ts';

const reserved = { exact: ['localhost', 'portal.platform.test'], parents: ['portal.platform.test'] };

describe('normalizeHost', () => {
  it.each([
    ['Portal.Example.COM', 'portal.example.com'],
    ['portal.example.com:8443', 'portal.example.com'],
    ['portal.example.com.', 'portal.example.com'],
    ['PORTAL.example.com.:80', 'portal.example.com'],
    ['bücher.example', 'xn--bcher-kva.example'],
    ['[::1]:8080', '::1'],
    ['127.0.0.1:8080', '127.0.0.1'],
  ])('%s → %s', (raw, expected) => expect(normalizeHost(raw)).toBe(expected));

  it('rejects empty and impossible hosts', () => {
    expect(normalizeHost('')).toBeNull();
    expect(normalizeHost(undefined)).toBeNull();
    expect(normalizeHost('.')).toBeNull();
  });
});

describe('hostnameProblem', () => {
  it('accepts ordinary names, .test and .localhost names', () => {
    expect(hostnameProblem('portal.acme-voice.com', reserved)).toBeNull();
    expect(hostnameProblem('portal.customer.test', reserved)).toBeNull();
    expect(hostnameProblem('portal.localhost', reserved)).toBeNull();
  });
  it.each([
    ['10.0.0.1', 'IP'],
    ['example', 'two labels'],
    ['-bad.example.com', 'invalid label'],
    ['a..example.com', 'invalid label'],
    [`${'a'.repeat(64)}.example.com`, 'invalid label'],
    ['portal.platform.test', 'platform'],
    ['x.portal.platform.test', 'platform'],
    ['localhost', 'two labels'],
    ['example.123', 'numeric'],
    [`${'a.'.repeat(127)}com`, 'longer than 253'],
  ])('refuses %s', (name, words) => expect(hostnameProblem(name, reserved)).toContain(words));
});

describe('parseDomainInput', () => {
  it('strips scheme, path and port', () => {
    expect(parseDomainInput('https://Portal.Example.com:443/login?x=1')).toBe('portal.example.com');
  });
  it('recognises local names', () => {
    expect(isLocalName('portal.localhost')).toBe(true);
    expect(isLocalName('portal.example.com')).toBe(false);
  });
});
