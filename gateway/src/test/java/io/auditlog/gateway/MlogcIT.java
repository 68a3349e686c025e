package io.auditlog.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.infra.BackingServices;
import io.auditlog.infra.ProjectLayout;
import io.auditlog.model.EventCodec;
import io.auditlog.modsecurity.Golden;
import io.auditlog.modsecurity.MlogcClient;
import io.auditlog.modsecurity.Samples;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Debian's real mlogc 2.9.7 (unpacked by infra/bin/install-deps into .state/mlogc) against the gateway, with
 * {@code ServerErrorTimeout 2}: index lines on its stdin, concurrent-log files under its LogStorageDir. A file is
 * deleted after a 200; a file refused with a 409 stays on disk, and the next entry still goes through. Without
 * mlogc the test fails: run infra/bin/install-deps. The events it delivered are S1's and S2's golden events.
 */
class MlogcIT {

  private static final Path MLOGC_ROOT = ProjectLayout.locate().root().resolve(".state/mlogc");

  @Test
  void deliversGoldenEventsDeletesTheStoredFilesAndKeepsTheRefusedOne() throws Exception {
    Path mlogc = MLOGC_ROOT.resolve("usr/bin/mlogc");
    assertThat(mlogc).as("mlogc: run infra/bin/install-deps").isExecutable();
    Path dir = Files.createTempDirectory("auditlog-mlogc-");
    String topic = "mlogc-it-" + UUID.randomUUID();
    try (TestGateway gateway = new TestGateway(Map.of("AUDIT_TOPIC", topic))) {
      // A tenant of its own: other tests of this JVM store S1 and S2 too, which would make these duplicates.
      String username = "mlogc" + UUID.randomUUID().toString().substring(0, 8);
      String jwt = gateway.login(gateway.activeUser(username, "example.com", "Mlogc@Test12345"), "Mlogc@Test12345");
      String token = TestGateway.expect(gateway.bearer("/users/tokens", jwt).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"edge-01\",\"permissions\":[\"ingest\"]}")), 201)
          .path("token").asText();
      String s1 = Samples.concurrent("S1");
      Path truncated = write(dir, "/www-data/cut/20250312-101530-cut", s1.substring(0, s1.indexOf("--5c1a3e7f-Z--")));
      Path first = write(dir, "/www-data/20250312/20250312-1015/20250312-101530-Z9FSwn8AAQEAAB4rBgQAAAAA", s1);
      Path second = write(dir, "/www-data/20250312/20250312-1016/20250312-101605-Z9FS5X8AAQEAAB4rBgUAAAAB",
          Samples.concurrent("S2"));
      Files.writeString(dir.resolve("mlogc.conf"), String.join("\n",
          "CollectorRoot \"" + dir + "\"",
          "ConsoleURI \"" + gateway.base + "/rpc/auditLogReceiver?env=staging\"",
          "SensorUsername \"edge-01\"",
          "SensorPassword \"" + token + "\"",
          "LogStorageDir \"data\"",
          "TransactionLog \"mlogc-transaction.log\"",
          "QueuePath \"mlogc-queue.log\"",
          "ErrorLog \"mlogc-error.log\"",
          "LockFile \"mlogc.lck\"",
          "KeepEntries 0",
          "ErrorLogLevel 5",
          "MaxConnections 1",
          "MaxWorkerRequests 1000",
          "TransactionDelay 50",
          "StartupDelay 100",
          "CheckpointInterval 15",
          "ServerErrorTimeout 2",
          "InsecureNoCheckCert 1", ""));
      ProcessBuilder builder = new ProcessBuilder(mlogc.toString(), dir.resolve("mlogc.conf").toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("mlogc.out").toFile());
      builder.environment().put("LD_LIBRARY_PATH", MLOGC_ROOT.resolve("usr/lib/x86_64-linux-gnu").toString());
      Process process = builder.start();
      try (OutputStream stdin = process.getOutputStream()) {
        for (String line : new String[] {
            index(Samples.summary("S1"), "/www-data/cut/20250312-101530-cut", truncated),
            Samples.summary("S1"), Samples.summary("S2")}) {
          stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        stdin.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((Files.exists(first) || Files.exists(second)) && System.nanoTime() < deadline) {
          Thread.sleep(200);
        }
        String log = Files.readString(dir.resolve("mlogc-error.log"));
        assertThat(first).as(log).doesNotExist();
        assertThat(second).as(log).doesNotExist();
        assertThat(truncated).as(log).exists();
        assertThat(log).contains("409");
        assertGolden(topic);
      } finally {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
        process.destroyForcibly();
      }
    } finally {
      BackingServices.deleteTree(dir);
    }
  }

  /** The events mlogc delivered, as published, equal S1's and S2's golden events. */
  private static void assertGolden(String topic) {
    EventCodec codec = new EventCodec();
    Map<String, JsonNode> byUniqueId = new HashMap<>();
    TestGateway.readTopic(topic).stream().map(r -> EventCodec.toBody(codec.decode(r.value()).event()))
        .forEach(event -> byUniqueId.put(event.path("metadata").path(0).path("value").asText(), event));
    assertThat(byUniqueId).hasSize(2);
    for (String name : List.of("S1", "S2")) {
      Golden.assertEvent(name, byUniqueId.get(Samples.expected(name).path("metadata").path(0).path("value").asText()));
    }
  }

  private static Path write(Path dir, String name, String content) throws Exception {
    Path file = dir.resolve("data" + name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return file;
  }

  /** {@code summary} naming another file: its path, size and MD5 replace the last three fields. */
  private static String index(String summary, String name, Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    String[] fields = summary.split(" ");
    String head = String.join(" ", Arrays.copyOf(fields, fields.length - 4));
    return head + " " + name + " 0 " + bytes.length + " " + MlogcClient.md5(bytes);
  }
}
