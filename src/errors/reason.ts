import type { DisconnectReason as ChartReason } from '../../machines/reason.js';
import type { ClientConditionCode } from './conditions.js';

/**
 * Why a connection ended or a session failed, as plain data: the chart's reason
 * (`machines/reason.ts`) with its code narrowed to a gateway code or one of the client's
 * conditions. It lives in the machine's context, which the inspector serialises, so it holds no
 * class instance and never a key.
 */
export type DisconnectReason = ChartReason<ClientConditionCode>;
