package io.auditlog.bench;

import io.auditlog.model.AuditEvent;
import io.auditlog.model.AuditEvent.Action;
import io.auditlog.model.AuditEvent.Actor;
import io.auditlog.model.AuditEvent.Resource;
import io.auditlog.model.RecordStamper;
import io.auditlog.model.StampedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A day of plausible audit traffic for one tenant: requests of 1 to 4 events spread evenly over the period, 5
 * categories, 10 applications, 3 environments, 50 kinds of action (each with its own type and method), 4 statuses
 * (mostly success), thousands of client addresses. Deterministic for a seed.
 */
final class SyntheticEvents {

  static final String[] CATEGORIES = {"auth", "billing", "admin", "data", "api"};
  static final String[] APPS = {"shop", "crm", "erp", "portal", "mobile", "search", "mail", "cms", "hr", "ops"};
  private static final String[] ENVS = {"prod", "staging", "dev"};
  private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH"};
  static final String[] STATUSES = {"success", "error", "denied", "timeout"};
  private static final int ACTIONS = 50;

  private final String tenant;
  private final Instant start;
  private final Duration span;
  private final int requests;
  private final SplittableRandom random;
  private final List<String> eventIds = new ArrayList<>();
  private final RecordStamper stamper;
  private int next;

  SyntheticEvents(String tenant, Instant end, Duration span, int events, long seed) {
    this.tenant = tenant;
    this.start = end.minus(span);
    this.span = span;
    this.requests = Math.max(1, events * 2 / 5);
    this.random = new SplittableRandom(seed);
    // A partition (a time slot) per seed: two sets of events in one tenant never share a nanosecond or an id.
    this.stamper = new RecordStamper("bench", (int) Math.floorMod(seed, (long) RecordStamper.PARTITIONS), 0);
  }

  boolean hasNext() {
    return next < requests;
  }

  /** The events of the next request, stamped at its place in the period. */
  List<StampedEvent> nextRequest() {
    long millis = start.toEpochMilli() + span.toMillis() * next / requests;
    int size = 1 + random.nextInt(4);
    List<AuditEvent> events = new ArrayList<>(size);
    String category = CATEGORIES[random.nextInt(CATEGORIES.length)];
    String app = APPS[random.nextInt(APPS.length)];
    String env = ENVS[random.nextInt(ENVS.length)];
    String origin = "10." + random.nextInt(20) + "." + random.nextInt(250) + "." + random.nextInt(1, 20);
    for (int i = 0; i < size; i++) {
      int action = random.nextInt(ACTIONS);
      String status = random.nextInt(10) < 7 ? STATUSES[0] : STATUSES[1 + random.nextInt(STATUSES.length - 1)];
      events.add(new AuditEvent(category, app, env, METHODS[action % METHODS.length], status, "info",
          new Action(eventName(action), "type-" + action % 8, random.nextDouble() * 2,
              random.nextInt(20), random.nextDouble() * 0.5, random.nextDouble(), random.nextDouble() * 512,
              Optional.of("synthetic event"), Optional.empty()),
          new Actor(origin, Optional.empty()),
          Optional.of(new Resource(Optional.of("r" + random.nextInt(10_000)), Optional.empty(),
              Optional.of("doc"), Optional.empty())),
          Optional.empty()));
    }
    List<StampedEvent> stamped = stamper.stamp(tenant, next, millis, events);
    if (next % 97 == 0) {
      eventIds.add(stamped.get(0).eventId());
    }
    next++;
    return stamped;
  }

  /** The event name of one kind of action. */
  static String eventName(int action) {
    return "action-" + action;
  }

  /** An event name that the events have, picked at random. */
  static String anyEventName(SplittableRandom random) {
    return eventName(random.nextInt(ACTIONS));
  }

  /** A sample of the trails written, for lookups. */
  List<String> sampleEventIds() {
    return eventIds;
  }
}
