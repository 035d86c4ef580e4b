/**
 * Why a connection ended or a session failed, as the chart keeps it: plain data in the machine's
 * context, which the inspector serialises, so it holds no class instance and never a key.
 *
 * The chart only stores and routes reasons (`fatal`, `freshIdentifyHelps` pick the transition); what
 * the codes mean is the client's business (`src/errors/conditions.ts` and the protocol's error table), so
 * a code here is any string, and `src/errors/reason.ts` narrows it to the client's conditions.
 */
export interface DisconnectReason<Code extends string = string> {
  /** A gateway error code (number) or a client condition code (string). */
  readonly code: number | Code;
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

/**
 * The codes the chart raises itself: its timers and its retry budget. The client's condition table
 * names each of them (checked where that table is defined).
 */
export type ChartConditionCode =
  'CONNECT_TIMEOUT' | 'HELLO_TIMEOUT' | 'IDENTIFY_TIMEOUT' | 'ZOMBIE_CONNECTION' | 'RETRIES_EXHAUSTED';
