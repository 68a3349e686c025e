package io.auditlog.model;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Each tenant's own InfluxDB users: a reader (READ on the tenant's database) and a deleter (WRITE on it, which
 * InfluxDB 1.x requires for {@code DELETE}, {@code DROP SERIES} and writes). Names come from the tenant id;
 * passwords are HMAC-SHA256(secret, purpose, tenant) in base64url, so the gateway that creates the users and the
 * query-service that logs in as them derive the same passwords from one shared secret and nothing is stored.
 */
public final class TenantInfluxUsers {

  /** What a tenant user is for; its name prefix and the HMAC's purpose label. */
  public enum Purpose {
    READ("audit_read_"), DELETE("audit_delete_");

    private final String prefix;

    Purpose(String prefix) {
      this.prefix = prefix;
    }
  }

  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9_-]{1,100}");
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  public TenantInfluxUsers(String secret) {
    if (secret.length() < 32) {
      throw new IllegalArgumentException("the tenant credential secret must have at least 32 characters");
    }
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
  }

  public InfluxCredential reader(String tenant) {
    return credential(Purpose.READ, tenant);
  }

  public InfluxCredential deleter(String tenant) {
    return credential(Purpose.DELETE, tenant);
  }

  public InfluxCredential credential(Purpose purpose, String tenant) {
    return new InfluxCredential(user(purpose, tenant), password(purpose, tenant));
  }

  /** The user name: the purpose's prefix and the tenant id, which must be letters, digits, {@code _} or {@code -}. */
  public static String user(Purpose purpose, String tenant) {
    if (!TENANT.matcher(tenant).matches()) {
      throw new IllegalArgumentException("a tenant id for InfluxDB users is 1-100 letters, digits, _ or -");
    }
    return purpose.prefix + tenant;
  }

  private String password(Purpose purpose, String tenant) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      byte[] digest = mac.doFinal((purpose.name() + "\n" + tenant).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
