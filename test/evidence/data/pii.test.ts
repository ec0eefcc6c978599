import { describe, expect, it } from 'vitest';
import { findPii, isCardNumber, isIban, isPhoneNumber, luhn, PII_KINDS, type PiiKind } from '../../../src/evidence/data/pii';

const ALL = new Set(Object.keys(PII_KINDS) as PiiKind[]);

describe('PII detectors', () => {
  it.each([
    ['Write to jane.doe@example.com today', ['email']],
    ['an @ alone, user@localhost or @handle is not an address', []],
    ['Call +44 20 7946 0958', ['phone']],
    ['Call (555) 010-4477 after six', ['phone']],
    ['Call 030 1234 5678', ['phone']],
    ['Released on 2026-12-07, version 2.3.1, pi is 3.14159', []],
    ['Card 4111 1111 1111 1111 on file', ['card']],
    ['Card 4111-1111-1111-1111', ['card']],
    ['Reference 4111 1111 1111 1112 (not Luhn-valid)', []],
    ['IBAN GB82 WEST 1234 5698 7654 32', ['iban']],
    ['IBAN DE89370400440532013000', ['iban']],
    ['IBAN GB82WEST12345698765433 has a bad checksum', []],
    ['From 10.0.0.12 and nowhere else', ['ip']],
    ['IPv6 2001:db8:85a3::8a2e:370:7334 too', ['ip']],
    ['not an address: 999.1.1.1 or 1.2.3', []],
    ['key sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8t', ['apiKey']],
    ['key AKIAIOSFODNN7EXAMPLE', ['apiKey']],
    ['token ghp_abcdefghijklmnopqrstuvwxyz0123456789', ['apiKey']],
    ['the word sk-learn or task-12 is not a key', []],
  ])('%s', (text, kinds) => {
    expect(findPii(text, ALL).sort()).toEqual([...kinds].sort());
  });

  it('reports only the kinds asked for', () => {
    expect(findPii('jane@example.com from 10.0.0.1', new Set<PiiKind>(['ip']))).toEqual(['ip']);
  });

  it.each([
    ['4111111111111111', true],
    ['4111111111111112', false],
    ['79927398713', true],
    ['79927398710', false],
  ])('Luhn %s -> %s', (digits, valid) => expect(luhn(digits)).toBe(valid));

  it.each([
    ['4111 1111 1111 1111', true],
    ['378282246310005', true],
    ['4111 1111 1111', false],
    ['+4111 1111 1111 1111', false],
  ])('card number %s -> %s', (run, valid) => expect(isCardNumber(run)).toBe(valid));

  it.each([
    ['GB82 WEST 1234 5698 7654 32', true],
    ['GB82WEST12345698765432', true],
    ['DE89 3704 0044 0532 0130 00', true],
    ['FR14 2004 1010 0505 0001 3M02 606', true],
    ['GB82 WEST 1234 5698 7654 31', false],
    ['DE89 3704 0044 0532 0130 01', false],
    ['GB82 WEST', false],
  ])('IBAN %s -> %s', (candidate, valid) => expect(isIban(candidate)).toBe(valid));

  it.each([
    ['+1 415 555 0100', true],
    ['555-010-4477', true],
    ['2026-12-07', false],
    ['10.0.0.12', false],
    ['12345', false],
  ])('phone number %s -> %s', (run, valid) => expect(isPhoneNumber(run)).toBe(valid));
});
