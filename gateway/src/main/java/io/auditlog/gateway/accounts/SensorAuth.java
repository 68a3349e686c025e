package io.auditlog.gateway.accounts;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.auditlog.model.ApiException;
import io.auditlog.model.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates a ModSecurity sensor: HTTP basic with the sensor's name as the user name and an API token with the
 * {@code ingest} permission as the password; the token's owner is the tenant. The bare base64 form of old collectors
 * (no {@code Basic } prefix) is accepted unless turned off, counted, and logged once per sensor that authenticated.
 * A wrong token counts as a failed attempt of the client address, never of the sensor name, which anyone may send
 * ({@link LoginThrottle#reserveToken}); a right one is only checked against the limit of its address. A right token
 * without the {@code ingest} permission is a 403 and counts nothing: it is a secret already known.
 */
public final class SensorAuth {

  public static final String CHALLENGE = "Basic realm=\"auditLogReceiver\"";
  private static final Logger LOG = LoggerFactory.getLogger(SensorAuth.class);
  private static final ApiException MISSING = ApiException.unauthorized("Sensor credentials are missing.");
  private static final ApiException MALFORMED = ApiException.unauthorized("Malformed basic credentials.");
  private static final ApiException WRONG = ApiException.unauthorized("Unknown or revoked API token.");
  private static final int LOGGED_NAME = 100;
  private static final int REMEMBERED = 10_000;
  private static final ApiException NOT_A_SENSOR = ApiException.of(403, "forbidden",
      "This API token has no ingest permission.");

  private final ApiTokens tokens;
  private final AccountRepository accounts;
  private final LoginThrottle throttle;
  private final boolean bareAllowed;
  private final Counter bareUses;
  private final Cache<String, Boolean> bareSensorsLogged = Caffeine.newBuilder().maximumSize(REMEMBERED).build();

  public SensorAuth(ApiTokens tokens, AccountRepository accounts, LoginThrottle throttle, boolean bareAllowed,
      MeterRegistry registry) {
    this.tokens = tokens;
    this.accounts = accounts;
    this.throttle = throttle;
    this.bareAllowed = bareAllowed;
    this.bareUses = Counter.builder("auditlog_modsec_bare_auth")
        .description("sensor requests authenticated with bare base64 credentials").register(registry);
  }

  /** An authenticated sensor: its name and the account that owns its token. */
  public record Sensor(String name, Account account) {
  }

  /** The sensor of an {@code Authorization} header, from {@code address}; 401, 403 or 429 otherwise. */
  public Future<Sensor> authenticate(String authorization, String address) {
    if (authorization == null || authorization.isBlank()) {
      return Future.failedFuture(MISSING);
    }
    boolean prefixed = authorization.regionMatches(true, 0, "Basic ", 0, 6);
    if (!prefixed && (!bareAllowed || authorization.contains(" "))) {
      return Future.failedFuture(MALFORMED);
    }
    Optional<BasicCredentials> credentials =
        BasicCredentials.decode(prefixed ? authorization.substring(6).trim() : authorization.trim());
    if (credentials.isEmpty()) {
      return Future.failedFuture(MALFORMED);
    }
    String name = credentials.get().name();
    Future<Sensor> sensor = check(name, credentials.get().secret(), address);
    if (!prefixed) {
      bareUses.increment();
      sensor.onSuccess(this::logBareOnce);
    }
    return sensor;
  }

  /**
   * Logs a sensor's first bare request, once it authenticated (anyone may send any name before): JSON-quoted and cut
   * to {@value #LOGGED_NAME} characters, so no name writes a line of its own; remembering at most
   * {@value #REMEMBERED} sensors.
   */
  private void logBareOnce(Sensor sensor) {
    String name = sensor.name().length() > LOGGED_NAME ? sensor.name().substring(0, LOGGED_NAME) : sensor.name();
    if (bareSensorsLogged.asMap().putIfAbsent(sensor.account().tenant() + "/" + name, Boolean.TRUE) == null) {
      LOG.info("sensor {} of tenant {} sends bare base64 credentials (without \"Basic \")", Json.toText(name),
          sensor.account().tenant());
    }
  }

  private Future<Sensor> check(String name, String secret, String address) {
    return tokens.bySecret(secret)
        .compose(token -> token.isEmpty() ? Future.succeededFuture(Optional.<Account>empty())
            : accounts.byId(token.get().userId()).map(account -> account.filter(Account::active))
                .compose(account -> account.isEmpty() || token.get().allows("ingest")
                    ? Future.succeededFuture(account) : Future.failedFuture(NOT_A_SENSOR)))
        .compose(account -> account.isEmpty()
            ? throttle.reserveToken(address).compose(counted -> Future.<Sensor>failedFuture(WRONG))
            : throttle.checkToken(address).map(new Sensor(name, account.get())));
  }
}
