package io.auditlog.tlog.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditlog.infra.Secrets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TlogKeyToolTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final TlogKeyTool tool = new TlogKeyTool(Map.of(), new PrintStream(out));

  @Test
  void usageErrorsExitWithTwoBeforeTouchingTheDatabase() {
    assertThat(tool.run(List.of())).isEqualTo(2);
    assertThat(tool.run(List.of("turn"))).isEqualTo(2);
    assertThat(tool.run(List.of("rotate", "--overlap"))).isEqualTo(2);
    assertThat(tool.run(List.of("rotate", "--overlap", "a week"))).isEqualTo(2);
    assertThat(tool.run(List.of("rotate", "--lap", "7d"))).isEqualTo(2);
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void rotationNeedsTheSecret() {
    assertThat(tool.run(List.of("rotate", "--overlap", "1d"))).isEqualTo(2);
  }

  @Test
  void resealingNeedsBothSecretsStrongAndNoArguments() {
    String secret = Secrets.generate();
    assertThat(tool.run(List.of("reseal"))).isEqualTo(2);
    assertThat(tool.run(List.of("reseal", "--new-secret", "x"))).isEqualTo(2);
    assertThat(new TlogKeyTool(Map.of("AUDIT_TLOG_SECRET", secret), new PrintStream(out)).run(List.of("reseal")))
        .as("no new secret").isEqualTo(2);
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aMalformedDatabaseSettingIsAConfigurationError() {
    assertThat(new TlogKeyTool(Map.of("AUDIT_PG_PORT", "five"), new PrintStream(out)).run(List.of("list")))
        .isEqualTo(2);
  }
}
