package io.auditlog.gateway.accounts;

import io.auditlog.gateway.limits.AttemptLimits;
import io.auditlog.gateway.limits.AttemptLimits.Limit;
import io.auditlog.gateway.limits.AttemptLimits.Reservation;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/**
 * Brute-force protection shared by every gateway: each password check — a login, HTTP basic on a console command, the
 * current password of a change — first reserves an attempt for the username and for the client address; at
 * {@code perUser} or {@code perAddress} live attempts within the window every further check, the right password too,
 * is a 429 with {@code Retry-After}. A password that matched releases its attempt, so only failures (and checks still
 * running) count; a password already known to be right is only checked against the limits. The username is counted as
 * its SHA-256, so a password typed into the username field is not kept. API tokens presented as passwords (a sensor's
 * HTTP basic) are 256-bit secrets that no one guesses: their failures count per address only, in keys of their own,
 * so that no one can lock out a sensor name, nor a user of that name, by sending wrong tokens under it.
 */
public final class LoginThrottle {

  private static final String REFUSAL = "Too many failed logins; retry later.";

  private final AttemptLimits limits;
  private final int perUser;
  private final int perAddress;
  private final Duration window;

  public LoginThrottle(AttemptLimits limits, int perUser, int perAddress, Duration window) {
    this.limits = limits;
    this.perUser = perUser;
    this.perAddress = perAddress;
    this.window = window;
  }

  /** An attempt for the username from the address, or a 429 while either is over its limit. */
  public Future<Reservation> reserve(String username, String address) {
    return limits.reserve(limits(username, address), REFUSAL);
  }

  /** A 429 while the username or the address is over its limit, counting nothing (for a password known to be right). */
  public Future<Void> check(String username, String address) {
    return limits.check(limits(username, address), REFUSAL);
  }

  /** An attempt of an API token from the address, or a 429 while the address is over its limit. */
  public Future<Reservation> reserveToken(String address) {
    return limits.reserve(tokenLimits(address), REFUSAL);
  }

  /** A 429 while the address is over its limit for API tokens, counting nothing (for a token known to be right). */
  public Future<Void> checkToken(String address) {
    return limits.check(tokenLimits(address), REFUSAL);
  }

  private List<Limit> tokenLimits(String address) {
    return List.of(new Limit("token-address:" + address, perAddress, window));
  }

  private List<Limit> limits(String username, String address) {
    return List.of(
        new Limit("login-user:" + AccessKeys.hash(username), perUser, window),
        new Limit("login-address:" + address, perAddress, window));
  }
}
