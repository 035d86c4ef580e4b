import type { ClientConditionCode } from '../conditions.js';

/**
 * Why a connection ended or a session failed, as plain data: it lives in the machine's context,
 * which the inspector serialises, so it holds no class instance and never a key.
 */
export interface DisconnectReason {
  /** A gateway error code (number) or a client condition code (string). */
  readonly code: number | ClientConditionCode;
  /** One line a person can act on. */
  readonly message: string;
  /** Retrying cannot help (from the error-code table). */
  readonly fatal: boolean;
  /** Only 4001: an identify provider may fetch a fresh key, worth one more try. */
  readonly freshIdentifyHelps?: boolean;
  /** The gateway's `m`, when it sent one. */
  readonly gatewayMessage?: string;
  /** The gateway's `d.errors`, when it sent them. */
  readonly errors?: readonly string[];
  /** The WebSocket close code, when the reason is a close. */
  readonly closeCode?: number;
}
