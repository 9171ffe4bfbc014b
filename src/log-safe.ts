/**
 * Helpers that keep personal data out of logs: email addresses are logged masked
 * (`s***@example.com`), never in full.
 */

const EMAIL = /([^\s@,;<>"']+)@([^\s@,;<>"']+\.[^\s@,;<>"']+)/g;

/** `secops@example.com` → `s***@example.com`; text without an address is returned unchanged. */
export function maskEmail(address: string): string {
  return address.replace(EMAIL, (_, local: string, domain: string) => `${local.slice(0, 1)}***@${domain}`);
}

/** Masks each address of a list (e.g. `--email-to`) for a log line. */
export function maskEmails(addresses: readonly string[]): string[] {
  return addresses.map(maskEmail);
}
