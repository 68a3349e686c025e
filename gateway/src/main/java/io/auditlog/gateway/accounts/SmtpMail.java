package io.auditlog.gateway.accounts;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SMTP mode: links go by mail (Vert.x mail client); answers never reveal whether an address is registered. */
public final class SmtpMail implements AccountMail {

  static final String SENT = "If the address is registered, a link has been sent.";
  private static final Logger LOG = LoggerFactory.getLogger(SmtpMail.class);

  private final MailClient client;
  private final String from;

  public SmtpMail(Vertx vertx, MailSettings settings) {
    MailConfig config = new MailConfig()
        .setHostname(settings.host())
        .setPort(settings.port())
        .setStarttls(settings.starttls());
    if (!settings.username().isEmpty()) {
      config.setUsername(settings.username()).setPassword(settings.password());
    }
    this.client = MailClient.create(vertx, config);
    this.from = settings.from();
  }

  /** SMTP server and sender. */
  public record MailSettings(String host, int port, String username, String password, String from,
      StartTLSOptions starttls) {
  }

  @Override
  public Future<String> activation(Account account, String link, boolean resent) {
    return send(account, "Activate your audit log account",
        "Activate your account " + account.username() + " by opening:\n\n" + link + "\n\nThe link expires soon.")
        .map(resent ? SENT : "Account created. Activate your account using the link sent to your email address.");
  }

  @Override
  public Future<String> reset(Account account, String link) {
    return send(account, "Reset your audit log password", "Reset the password of " + account.username()
        + " with a PATCH request to:\n\n" + link + "\n\nThe link expires soon. Ignore this mail if you did not ask.")
        .map(SENT);
  }

  @Override
  public String unknownAddressAnswer() {
    return SENT;
  }

  /**
   * Hands the mail to the client and answers at once: waiting for the SMTP server only when the address is
   * registered would tell the two apart by the time of the answer. A failure is logged; the account and its key
   * exist either way, and the user can ask again (resend, forgot).
   */
  private Future<Void> send(Account account, String subject, String text) {
    client.sendMail(new MailMessage().setFrom(from).setTo(account.email()).setSubject(subject).setText(text))
        .onFailure(e -> LOG.error("could not send mail to user {}: {}", account.id(), e.getMessage()));
    return Future.succeededFuture();
  }
}
