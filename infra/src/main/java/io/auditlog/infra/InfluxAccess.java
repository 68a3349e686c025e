package io.auditlog.infra;

import io.auditlog.model.InfluxCredential;
import io.auditlog.store.InfluxProvisioning;
import io.auditlog.model.TenantInfluxUsers;

/**
 * The InfluxDB credentials of one installation: the admin (provisioning only), the ingest workers' writer (WRITE on
 * every tenant database) and the secret from which each tenant's reader and deleter passwords are derived. The
 * services receive them as {@code AUDIT_INFLUX_ADMIN_PASSWORD}, {@code AUDIT_INFLUX_WRITER_PASSWORD} and
 * {@code AUDIT_INFLUX_TENANT_SECRET}.
 */
public record InfluxAccess(InfluxCredential admin, InfluxCredential writer, String tenantSecret) {

  public static final String ADMIN_USER = "admin";
  public static final String WRITER_USER = "audit_writer";

  /** Fresh random passwords and secret, for a test JVM. */
  public static InfluxAccess generate() {
    return of(Secrets.generate(), Secrets.generate(), Secrets.generate());
  }

  public static InfluxAccess of(String adminPassword, String writerPassword, String tenantSecret) {
    return new InfluxAccess(new InfluxCredential(ADMIN_USER, adminPassword),
        new InfluxCredential(WRITER_USER, writerPassword), tenantSecret);
  }

  public TenantInfluxUsers tenantUsers() {
    return new TenantInfluxUsers(tenantSecret);
  }

  public InfluxProvisioning provisioning() {
    return new InfluxProvisioning(writer, tenantUsers());
  }

  /** 36 random bytes in base64url: 48 characters. */
  @Override
  public String toString() {
    return "InfluxAccess[admin=" + admin + ", writer=" + writer + ", tenantSecret=(hidden)]";
  }
}
