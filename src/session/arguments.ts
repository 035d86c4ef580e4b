import { GatewayError } from '../errors/gateway-error.js';

/**
 * What is wrong with a `signal` option that is not an AbortSignal (`undefined` when it is one, or
 * none was given), checked before anything is set up that it would leave half made (a listener
 * registered, a timer running). Read by shape, not `instanceof`: a signal may come from another
 * realm (an iframe, a vm context) or a polyfill.
 */
export function signalOptionError(signal: unknown, where: string): GatewayError | undefined {
  if (signal === undefined) return undefined;
  const candidate = (typeof signal === 'object' ? signal : null) as Partial<AbortSignal> | null;
  if (
    typeof candidate?.aborted === 'boolean' &&
    typeof candidate.addEventListener === 'function' &&
    typeof candidate.removeEventListener === 'function'
  )
    return undefined;
  return new GatewayError('INVALID_OPTIONS', `${where}: signal must be an AbortSignal`, { fatal: true });
}

/**
 * Throws `INVALID_OPTIONS` with `message` unless `ok`: a wrong argument is refused where it is given,
 * not found later as a listener that "threw" at every status change.
 */
export function checkArgument(ok: boolean, message: string): void {
  if (!ok) throw new GatewayError('INVALID_OPTIONS', message, { fatal: true });
}
