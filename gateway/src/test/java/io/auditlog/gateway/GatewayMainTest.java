package io.auditlog.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The gateway as an operator starts it, a process of its own, refusing an environment that is not safe. */
class GatewayMainTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "AUDIT_MAIL_MODE      | dev                                       | AUDIT_MAIL_MODE=dev returns password-reset "
          + "links to anyone who asks: use smtp, or set AUDIT_ALLOW_DEV_MAIL=true on a machine only you can reach",
      "AUDIT_JWT_SECRET     | change-me-to-32-or-more-random-characters | AUDIT_JWT_SECRET is a placeholder",
      "AUDIT_ADMIN_PASSWORD | Admin@12345                               | AUDIT_ADMIN_PASSWORD must be at least 12 "
          + "characters long (or set AUDIT_ALLOW_WEAK_ADMIN_PASSWORD=true on a machine only you can reach)"})
  void anUnsafeEnvironmentStopsItWithOneLineOnStandardErrorAndANonZeroStatus(String name, String value,
      String reason, @TempDir Path dir) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-cp", System.getProperty("java.class.path"), GatewayMain.class.getName())
        .redirectOutput(dir.resolve("out").toFile())
        .redirectError(dir.resolve("err").toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(variable -> variable.startsWith("AUDIT_"));
    env.putAll(GatewayConfigTest.safeEnvironment());
    env.put(name, value);
    Process gateway = builder.start();
    try {
      assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).as("the gateway exits").isTrue();
    } finally {
      gateway.destroyForcibly();
    }
    assertThat(gateway.exitValue()).isEqualTo(2);
    List<String> errors = Files.readAllLines(dir.resolve("err"));
    assertThat(errors).containsExactly("gateway: refusing to start: " + reason);
  }
}
