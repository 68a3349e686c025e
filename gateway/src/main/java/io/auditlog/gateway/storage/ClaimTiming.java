package io.auditlog.gateway.storage;

import java.time.Duration;

/**
 * How the connection that holds the gateway's instance number is watched: a check every {@code heartbeat}, and
 * events stamped only within {@code lease} of the last answered one. The lease must stay well below the time
 * PostgreSQL waits before it drops a silent client and frees the number ({@link InstanceClaim#SERVER_PATIENCE}), and
 * leave room for a few checks.
 */
public record ClaimTiming(Duration heartbeat, Duration lease) {

  public ClaimTiming {
    if (heartbeat.compareTo(Duration.ofMillis(100)) < 0) {
      throw new IllegalArgumentException("AUDIT_INSTANCE_HEARTBEAT must be at least 100ms");
    }
    if (lease.compareTo(heartbeat.multipliedBy(2)) < 0
        || lease.compareTo(InstanceClaim.SERVER_PATIENCE.dividedBy(2)) > 0) {
      throw new IllegalArgumentException("AUDIT_INSTANCE_LEASE must be from twice AUDIT_INSTANCE_HEARTBEAT to "
          + InstanceClaim.SERVER_PATIENCE.dividedBy(2).toSeconds() + "s");
    }
  }
}
