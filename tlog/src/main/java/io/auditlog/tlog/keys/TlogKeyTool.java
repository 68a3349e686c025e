package io.auditlog.tlog.keys;

import io.auditlog.model.Durations;
import io.auditlog.tlog.PgLogin;
import io.auditlog.web.Settings;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/tlog-key}: rotates the checkpoint signing key, lists the signing keys, or seals the stored keys under a
 * new secret, in the database that {@code AUDIT_PG_*} names; rotation needs {@code AUDIT_TLOG_SECRET} too, and
 * resealing {@code AUDIT_TLOG_NEW_SECRET} besides (secrets come from the environment, never from the command line,
 * where other users of the machine could read them). Exit code 0 on success, 1 on failure, 2 for a usage or
 * configuration error.
 */
public final class TlogKeyTool {

  static final String USAGE = """
      usage: bin/tlog-key rotate [--overlap 7d]   a new signing key signs at once; the older ones co-sign until the
                                                  overlap ends (0s ends them now)
             bin/tlog-key list                    every signing key with its validity
             bin/tlog-key reseal                  seals every stored key under AUDIT_TLOG_NEW_SECRET instead of
                                                  AUDIT_TLOG_SECRET; then run every service with the new secret""";
  static final Duration DEFAULT_OVERLAP = Duration.ofDays(7);

  private final Settings settings;
  private final PrintStream out;

  TlogKeyTool(Map<String, String> env, PrintStream out) {
    this.settings = new Settings(env);
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(new TlogKeyTool(System.getenv(), System.out).run(List.of(args)));
  }

  int run(List<String> args) {
    try {
      if (args.size() == 1 && args.get(0).equals("list")) {
        list(login());
        return 0;
      }
      if (!args.isEmpty() && args.get(0).equals("rotate")) {
        Duration overlap = overlap(args.subList(1, args.size()));
        String id = new TlogKeys(login(), settings.randomSecret("AUDIT_TLOG_SECRET")).rotate(overlap);
        out.println("rotated: " + id + " signs from now on; the older keys co-sign until their valid until below");
        list(login());
        return 0;
      }
      if (args.size() == 1 && args.get(0).equals("reseal")) {
        String secret = settings.randomSecret("AUDIT_TLOG_SECRET");
        String newSecret = settings.randomSecret("AUDIT_TLOG_NEW_SECRET");
        int keys = new TlogKeys(login(), secret).reseal(newSecret);
        out.println("resealed: " + keys + " keys now open only with AUDIT_TLOG_NEW_SECRET; set AUDIT_TLOG_SECRET to it"
            + " for every worker and query-service, and restart them");
        return 0;
      }
      System.err.println(USAGE);
      return 2;
    } catch (IllegalArgumentException e) {
      System.err.println("tlog-key: " + e.getMessage());
      return 2;
    } catch (SQLException | WrongSecretException | IllegalStateException e) {
      System.err.println("tlog-key: " + e.getMessage());
      return 1;
    }
  }

  private static Duration overlap(List<String> options) {
    if (options.isEmpty()) {
      return DEFAULT_OVERLAP;
    }
    if (options.size() != 2 || !options.get(0).equals("--overlap")) {
      throw new IllegalArgumentException("unknown options " + options + "\n" + USAGE);
    }
    return Durations.parse(options.get(1)).orElseThrow(() -> new IllegalArgumentException(
        "--overlap " + options.get(1) + " is not a duration such as 0s, 12h or 7d"));
  }

  /** The database of {@code AUDIT_PG_HOST}, {@code _PORT}, {@code _DATABASE}, {@code _USER} and {@code _PASSWORD}. */
  private PgLogin login() {
    return new PgLogin("jdbc:postgresql://" + settings.text("AUDIT_PG_HOST", "127.0.0.1") + ":"
        + settings.port("AUDIT_PG_PORT", 5432) + "/" + settings.text("AUDIT_PG_DATABASE", "auditlog"),
        settings.text("AUDIT_PG_USER", "auditlog"), settings.text("AUDIT_PG_PASSWORD", ""));
  }

  private void list(PgLogin login) throws SQLException {
    try (Connection connection = login.connect()) {
      out.println("key id                     valid from                    valid until                   state");
      for (RegisteredKey key : TlogKeys.registered(connection)) {
        out.printf("%-26s %-29s %-29s %s%n", key.id(), key.validFrom(),
            key.validUntil() == null ? "-" : key.validUntil(),
            key.active() ? "active" : key.validNow() ? "co-signing" : "ended");
      }
    }
  }
}
