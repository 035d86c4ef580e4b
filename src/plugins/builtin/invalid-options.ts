import { GatewayError } from '../../errors/gateway-error.js';

/**
 * Throws the `INVALID_OPTIONS` error a built-in plugin's factory throws for a wrong option, as
 * `createGatewayClient` does for its own.
 *
 * @example
 * if (typeof options.stats !== 'function') invalidOptions('serverStats: stats must be a function');
 */
export function invalidOptions(message: string): never {
  throw new GatewayError('INVALID_OPTIONS', message, { fatal: true });
}
