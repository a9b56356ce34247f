/**
 * The exporter's optional authentication: one shared token, accepted as `Authorization: Bearer
 * <token>` (what Prometheus's `authorization` sends) or as the password of `Authorization: Basic`
 * with any user name (what a browser prompts for, and then sends with the dashboard's
 * EventSource too, which cannot set headers itself).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** The challenge sent with a 401: Basic first, so a browser prompts. */
export const AUTH_CHALLENGE = ['Basic realm="concurrengine telemetry", charset="UTF-8"', 'Bearer realm="concurrengine telemetry"'];

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * A check of a request's `Authorization` header against `token`. Comparing SHA-256 digests
 * with `timingSafeEqual` takes the same time whatever the guess, its length included.
 */
export function createAuthCheck(token: string): (header: string | undefined) => boolean {
  const expected = digest(token);
  const matches = (candidate: string): boolean => timingSafeEqual(digest(candidate), expected);
  return (header) => {
    if (header === undefined) return false;
    const space = header.indexOf(' ');
    if (space === -1) return false;
    const scheme = header.slice(0, space).toLowerCase();
    const credentials = header.slice(space + 1).trim();
    if (scheme === 'bearer') return matches(credentials);
    if (scheme !== 'basic') return false;
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon !== -1 && matches(decoded.slice(colon + 1));
  };
}
