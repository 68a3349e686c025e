package io.auditlog.worker;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.auditlog.store.TagShape;
import io.auditlog.tlog.PgLogin;
import java.sql.SQLException;

/**
 * The {@link TagShape} each tenant's events are written in: eight tags for a tenant listed in
 * {@code eight_tag_tenants} (db/counts, which lists the tenants that had signed up when it was made), four for any
 * other. Nothing is listed later, so an answer is remembered; looked up over one {@link LookupConnection}, from the
 * writer threads, on a tenant's first batch.
 */
final class TenantShapes implements AutoCloseable {

  private final LookupConnection lookups;
  private final TagShape fixed;
  private final Cache<String, TagShape> known = Caffeine.newBuilder().maximumSize(100_000).build();

  private TenantShapes(LookupConnection lookups, TagShape fixed) {
    this.lookups = lookups;
    this.fixed = fixed;
  }

  /** Shapes listed in the database {@code login} reaches, whose db/counts migrations {@link WorkerSchema} applies. */
  static TenantShapes in(PgLogin login) {
    return new TenantShapes(new LookupConnection(login), null);
  }

  /** Every tenant in one shape: for tests of the loop alone. */
  static TenantShapes all(TagShape shape) {
    return new TenantShapes(null, shape);
  }

  TagShape of(String tenant) throws SQLException {
    if (fixed != null) {
      return fixed;
    }
    TagShape shape = known.getIfPresent(tenant);
    if (shape == null) {
      shape = lookUp(Long.parseLong(tenant));
      known.put(tenant, shape);
    }
    return shape;
  }

  private TagShape lookUp(long tenant) throws SQLException {
    return lookups.query("SELECT 1 FROM eight_tag_tenants WHERE tenant = ?", statement -> statement.setLong(1, tenant),
        rows -> rows.next() ? TagShape.EIGHT_TAGS : TagShape.FOUR_TAGS);
  }

  @Override
  public void close() {
    if (lookups != null) {
      lookups.close();
    }
  }
}
