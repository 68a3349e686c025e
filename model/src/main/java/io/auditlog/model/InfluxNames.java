package io.auditlog.model;

import java.util.List;

/**
 * How tenants, events and their columns are named in InfluxDB: one database per tenant, measurement = category,
 * and the tag and field names below. Quoting them in statements is {@link InfluxQl}'s job.
 */
public final class InfluxNames {

  public static final String TAG_APP = "app";
  public static final String TAG_ENV = "env";
  public static final String TAG_METHOD = "method";
  public static final String TAG_STATUS = "status";
  public static final String TAG_LEVEL = "level";
  public static final String TAG_EVENT_NAME = "event_name";
  public static final String TAG_EVENT_TYPE = "event_type";
  public static final String TAG_RESOURCE_TYPE = "resource_type";
  /** Every tag an event point can have; a series lacks those its event had no value for. */
  public static final List<String> TAGS = List.of(TAG_APP, TAG_ENV, TAG_EVENT_NAME, TAG_EVENT_TYPE,
      TAG_LEVEL, TAG_METHOD, TAG_RESOURCE_TYPE, TAG_STATUS);

  public static final String FIELD_ID = "id";
  public static final String FIELD_EVENT_ID = "event_id";
  public static final String FIELD_STAGE = "stage";
  public static final String FIELD_ORIGIN = "origin";
  public static final String FIELD_DESCRIPTION = "description";
  public static final String FIELD_RESOURCE = "resource";
  public static final String FIELD_RESOURCE_ID = "resource_id";
  public static final String FIELD_RESOURCE_NAME = "resource_name";
  public static final String FIELD_TOTAL_DURATION = "total_duration";
  public static final String FIELD_AFFECTED_RESOURCES = "affected_resources";
  public static final String FIELD_LATENCY = "latency";
  public static final String FIELD_CPU_USAGE = "cpu_usage";
  public static final String FIELD_MEMORY_USAGE = "memory_usage";
  public static final String FIELD_EVENT_DETAIL = "event_detail";
  public static final String FIELD_ACTOR_DETAIL = "actor_detail";
  public static final String FIELD_RESOURCE_DETAIL = "resource_detail";
  public static final String FIELD_METADATA = "metadata";
  /** The event's leaf in the tenant's verifiable history: its position (integer) and salt (base64). */
  public static final String FIELD_SEQ = "seq";
  public static final String FIELD_SALT = "salt";

  /**
   * The trail index: one point per event with its {@code event_id} and {@link #FIELD_SERIES}. Its name holds a space,
   * which no category can, so it never meets a user's measurement.
   */
  public static final String TRAILS = "audit trail";
  public static final String FIELD_SERIES = "series";
  /**
   * The trail index is spread over {@value #TRAIL_BUCKETS} series per tenant by a hash of the event id, so a lookup
   * reads a thirty-second of the points around its time. Points written before the buckets have no bucket tag.
   */
  public static final String TAG_TRAIL_BUCKET = "bucket";
  public static final int TRAIL_BUCKETS = 32;

  /** The trail index bucket of an event id: the same on every JVM ({@link String#hashCode()} is specified). */
  public static String trailBucket(String eventId) {
    return Integer.toString(Math.floorMod(eventId.hashCode(), TRAIL_BUCKETS));
  }

  private InfluxNames() {
  }

  public static String database(String tenant) {
    return "audit_" + tenant;
  }
}
