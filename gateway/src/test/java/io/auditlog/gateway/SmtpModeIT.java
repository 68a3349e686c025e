package io.auditlog.gateway;

import static io.auditlog.gateway.TestGateway.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.auditlog.infra.Ports;
import jakarta.mail.internet.MimeMessage;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** smtp mode: links travel by mail, and answers never reveal whether an address is registered. */
class SmtpModeIT {

  private static final int SMTP_PORT = Ports.free();
  private static final String PASSWORD = "Password@12345";

  @RegisterExtension
  static final GreenMailExtension MAIL = new GreenMailExtension(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"));

  private static TestGateway gateway;

  @BeforeAll
  static void start() throws Exception {
    gateway = new TestGateway(Map.of("AUDIT_MAIL_MODE", "smtp", "AUDIT_SMTP_PORT", Integer.toString(SMTP_PORT),
        "AUDIT_SMTP_STARTTLS", "disabled", "AUDIT_SMTP_FROM", "audit@example.org"));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  private static String linkIn(MimeMessage message) {
    Matcher m = Pattern.compile("(http://\\S+\\?key=[A-Za-z0-9_-]+)").matcher(GreenMailUtil.getBody(message));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  @Test
  void activationAndResetLinksArriveByMailAndNeverInTheAnswer() throws Exception {
    String username = "smtp" + UUID.randomUUID().toString().substring(0, 8);
    String email = username + "@mail.example";
    String created = expect(gateway.formRequest("POST", "/auth/signup", Map.of("username", username, "email", email,
        "password", PASSWORD, "repeatPassword", PASSWORD)), 201).path("msg").asText();
    assertThat(created).doesNotContain("key=");
    assertThat(MAIL.waitForIncomingEmail(10_000, 1)).isTrue();
    MimeMessage activation = MAIL.getReceivedMessagesForDomain("mail.example")[0];
    assertThat(activation.getAllRecipients()[0].toString()).isEqualTo(email);
    expect(gateway.request(linkIn(activation)).GET(), 200);

    String known = expect(gateway.formRequest("POST", "/auth/password/forgot", Map.of("email", email)), 200)
        .path("msg").asText();
    String unknown = expect(gateway.formRequest("POST", "/auth/password/forgot",
        Map.of("email", "nobody@mail.example")), 200).path("msg").asText();
    assertThat(known).isEqualTo(unknown).isEqualTo("If the address is registered, a link has been sent.");
    assertThat(MAIL.waitForIncomingEmail(10_000, 2)).isTrue();
    MimeMessage reset = MAIL.getReceivedMessagesForDomain("mail.example")[1];
    String link = linkIn(reset);
    assertThat(link).contains("/auth/password/reset?key=");
    expect(gateway.formRequest("PATCH", link, Map.of("newPassword", "Reset@12345", "repeatPassword", "Reset@12345")),
        200);
    gateway.login(username, "Reset@12345");
    assertThat(MAIL.getReceivedMessages()).hasSize(2);
  }

  @Test
  void resendRevealsNothingEither() throws Exception {
    assertThat(expect(gateway.formRequest("POST", "/auth/activate/resend", Map.of("email", "ghost@mail.example")),
        200).path("msg").asText()).isEqualTo("If the address is registered, a link has been sent.");
  }
}
