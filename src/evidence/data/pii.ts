// PII detectors. Each finds values of one kind in a text and says only how many: the
// inspector records line numbers, never the values. Numbers are checked the way their
// issuers check them (Luhn for cards, ISO 13616 mod 97 for IBANs), so a random digit
// run is not reported as a card.

export const PII_KINDS = {
  email: 'email addresses',
  phone: 'phone numbers',
  card: 'card numbers (Luhn-valid)',
  iban: 'IBANs (checksum-valid)',
  ip: 'IP addresses',
  apiKey: 'strings shaped like API keys',
} as const;
export type PiiKind = keyof typeof PII_KINDS;

const EMAIL = /[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}/;
const IPV4 = /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d.]*\d)/;
const IPV6 = /(?<![0-9A-Fa-f:])(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})(?![0-9A-Fa-f:])/;
// Prefixes providers put on their keys, so a key is recognised by its shape, not guessed from entropy.
const API_KEY =
  /(?<![A-Za-z0-9])(?:sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}|(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,}|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35}|hf_[A-Za-z0-9]{30,}|glpat-[A-Za-z0-9_-]{20}|(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,})/;
// Runs of digits with the separators people write numbers with: candidates for cards and phones.
const DIGIT_RUN = /(?<![\w.+-])\+?\(?\d[\d ().-]{5,}\d(?![\w-]|\.\d)/g;
const IBAN = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![A-Za-z0-9])/g;
const DATE = /^\d{4}[-./]\d{1,2}[-./]\d{1,2}$|^\d{1,2}[-./]\d{1,2}[-./]\d{4}$/;

/** The kinds of PII in a text (each at most once). */
export function findPii(text: string, kinds: ReadonlySet<PiiKind>): PiiKind[] {
  const found: PiiKind[] = [];
  if (kinds.has('email') && text.includes('@') && EMAIL.test(text)) found.push('email');
  if (kinds.has('apiKey') && API_KEY.test(text)) found.push('apiKey');
  if (kinds.has('ip') && ((text.includes('.') && IPV4.test(text)) || (text.includes(':') && IPV6.test(text)))) found.push('ip');
  const ibans = text.length >= 15 ? ibanMatches(text) : [];
  if (kinds.has('iban') && ibans.length) found.push('iban');
  if (kinds.has('card') || kinds.has('phone')) {
    // An IBAN's digits are not also a phone or card number.
    for (const iban of ibans) text = text.replace(iban, ' ');
    let card = false;
    let phone = false;
    DIGIT_RUN.lastIndex = 0;
    for (let m = DIGIT_RUN.exec(text); m && !(card && phone); m = DIGIT_RUN.exec(text)) {
      const run = m[0];
      const digits = run.replace(/\D/g, '');
      if (!card && isCardNumber(run, digits)) card = true;
      else if (!phone && isPhoneNumber(run, digits)) phone = true;
    }
    if (card && kinds.has('card')) found.push('card');
    if (phone && kinds.has('phone')) found.push('phone');
  }
  return found;
}

/** 13-19 digits in groups of spaces or dashes only, passing the Luhn check. */
export function isCardNumber(run: string, digits = run.replace(/\D/g, '')): boolean {
  if (digits.length < 13 || digits.length > 19 || /[().+]/.test(run)) return false;
  return luhn(digits);
}

export function luhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double && (d *= 2) > 9) d -= 9;
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * 7-15 digits (E.164 allows 15) written as a phone number: with a leading +, a bracketed
 * area code, or at least two separators; dates, IP addresses and plain decimals are not.
 */
export function isPhoneNumber(run: string, digits = run.replace(/\D/g, '')): boolean {
  if (digits.length < 7 || digits.length > 15) return false;
  if (DATE.test(run) || /^\d+\.\d+$/.test(run) || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(run)) return false;
  if (run.startsWith('+') || /\(\d{1,5}\)/.test(run)) return true;
  const separators = run.match(/[ .-]/g)?.length ?? 0;
  return separators >= 2;
}

function ibanMatches(text: string): string[] {
  const found: string[] = [];
  IBAN.lastIndex = 0;
  for (let m = IBAN.exec(text); m; m = IBAN.exec(text)) if (isIban(m[0])) found.push(m[0]);
  return found;
}

/** ISO 13616: 15-34 characters, the first four moved to the end, letters as 10-35, mod 97 is 1. */
export function isIban(candidate: string): boolean {
  const iban = candidate.replace(/ /g, '').toUpperCase();
  if (iban.length < 15 || iban.length > 34 || !/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return false;
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (let i = 0; i < moved.length; i++) {
    const c = moved.charCodeAt(i);
    const value = c >= 65 ? c - 55 : c - 48;
    rest = (value >= 10 ? rest * 100 + value : rest * 10 + value) % 97;
  }
  return rest === 1;
}
