package io.auditlog.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: arguments, output formats and exit codes. */
class MainTest {

  @TempDir
  Path directory;

  private final TestLog log = new TestLog(TestLog.key(1)).events(12);
  private final String vkey = log.key().vkey();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private byte[] stdin = new byte[0];

  @Test
  void aValidFileVerifiesWithOneLinePerCheck() throws IOException {
    Path file = write("h.ndjson", log.export().bytes());
    assertThat(run("--vkey", vkey, "--state", directory.resolve("state").toString(), file.toString())).isZero();
    List<String> lines = out().lines().toList();
    assertThat(lines).hasSize(6);
    assertThat(lines.get(0)).startsWith("signature   OK ");
    assertThat(lines.get(3)).contains("present 12, redacted 0, missing 0");
    assertThat(lines.get(4)).startsWith("pin         OK       first use: pinned size 12");
    assertThat(lines.get(5)).isEqualTo("RESULT: OK");
    assertThat(directory.resolve("state").resolve("audit.example.com%2Faudit%2F7")).exists();
  }

  @Test
  void standardInputAndGzipAreRead() {
    stdin = log.export().gzip();
    assertThat(run("--vkey", vkey, "--no-state", "-")).isZero();
    assertThat(out()).contains("no state kept");
  }

  @Test
  void jsonOutputSaysTheSame() {
    stdin = log.export().bytes();
    assertThat(run("--json", "--vkey", vkey, "--no-state", "-")).isZero();
    Map<?, ?> json = (Map<?, ?>) Json.parse(out());
    assertThat(json.get("result")).isEqualTo("OK");
    assertThat(json.get("exit_code")).isEqualTo(new JsonNumber("0"));
    Map<?, ?> counts = (Map<?, ?>) json.get("counts");
    assertThat(counts.get("present")).isEqualTo(new JsonNumber("12"));
    assertThat(counts.get("missing")).isEqualTo(new JsonNumber("0"));
    assertThat((List<?>) json.get("checks")).hasSize(5);
  }

  @Test
  void failuresExitWithOne() {
    List<String> lines = log.export().lines();
    lines.remove(4);
    stdin = TestExport.join(lines);
    assertThat(run("--vkey", vkey, "--no-state", "-")).isEqualTo(1);
    assertThat(out()).contains("RESULT: FAILED");
    stdin = log.export().bytes();
    String otherKey = TestLog.key(2).vkey();
    assertThat(run("--vkey", otherKey, "--no-state", "-")).isEqualTo(1);
  }

  @Test
  void vkeyFilesHoldOneKeyPerLine() throws IOException {
    Path keys = write("keys", ("# pinned out of band\n\n" + TestLog.key(2).vkey() + "\n" + vkey + "\n")
        .getBytes(StandardCharsets.UTF_8));
    stdin = log.export().bytes();
    assertThat(run("--vkey-file", keys.toString(), "--no-state", "-")).isZero();
  }

  @Test
  void theDefaultStateIsInTheHomeDirectory() {
    String home = System.getProperty("user.home");
    System.setProperty("user.home", directory.toString());
    try {
      stdin = log.export().bytes();
      assertThat(run("--vkey", vkey, "-")).isZero();
      assertThat(directory.resolve(".audit-verify").resolve("audit.example.com%2Faudit%2F7")).exists();
    } finally {
      System.setProperty("user.home", home);
    }
  }

  @Test
  void badArgumentsExitWithTwo() throws IOException {
    Path file = write("h.ndjson", log.export().bytes());
    Path keys = write("keys", vkey.getBytes(StandardCharsets.UTF_8));
    List<String[]> bad = List.of(
        new String[] {},
        new String[] {file.toString()},
        new String[] {"--vkey", vkey},
        new String[] {"--vkey"},
        new String[] {"--vkey", "not a vkey", file.toString()},
        new String[] {"--vkey", vkey, "--vkey-file", keys.toString(), file.toString()},
        new String[] {"--vkey", vkey, "--state", "s", "--no-state", file.toString()},
        new String[] {"--vkey", vkey, "--no-state", file.toString(), file.toString()},
        new String[] {"--vkey", vkey, "--no-state", "--colour", file.toString()},
        new String[] {"--vkey-file", directory.resolve("absent").toString(), "--no-state", file.toString()},
        new String[] {"--vkey", vkey, "--no-state", directory.resolve("absent.ndjson").toString()});
    for (String[] args : bad) {
      out.reset();
      assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);
      assertThat(out()).as(String.join(" ", args)).contains("RESULT: ERROR");
    }
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: verify");
  }

  @Test
  void helpShowsTheUsage() {
    assertThat(run("--help")).isZero();
    assertThat(out()).startsWith("usage: verify");
  }

  private int run(String... args) {
    return Main.run(args, new ByteArrayInputStream(stdin), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private Path write(String name, byte[] bytes) throws IOException {
    return Files.write(directory.resolve(name), bytes);
  }
}
