/**
 * Ways the local gateway can misbehave on purpose, so a client's handling of a broken gateway can be
 * tested. `gateway.faults` holds the switches new connections start with; each connection has its own
 * copy in `connection.faults`, read at the moment it matters, so a test can flip one mid-session.
 */
export interface GatewayFaults {
  /** Answer each Heartbeat with a Heartbeat ACK (op 11). `false` stops ACKing; `true` resumes it. */
  ack: boolean;
  /** Send Hello at all. `false` withholds it: the connection stays open and Hello never comes. */
  hello: boolean;
  /** Wait this long after the socket opens before sending Hello, ms. Read once, when a connection opens. */
  helloDelay: number;
  /**
   * Answer a good identify with `bot_connect_success`. `false` withholds it: the identify is taken
   * (state `identify-pending`) and never answered.
   */
  botConnectSuccess: boolean;
  /** Close with 4006 when a heartbeat is late. `false` lets a client that stops beating stay. */
  enforceHeartbeat: boolean;
}
