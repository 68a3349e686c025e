package io.auditlog.bench;

/**
 * A load phase and the events per second it offered: for a closed loop what the service accepted (it is sent no
 * more), for an open loop what the schedule sent.
 */
record Offered(Run run, double eventsPerSecond) {

  /** A closed loop's phase: it offered what was accepted. */
  static Offered closedLoop(Run run) {
    return new Offered(run, run.eventsPerSecond());
  }
}
