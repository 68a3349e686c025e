package io.auditlog.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.infra.ProjectLayout;
import io.auditlog.verify.Checkpoint;
import io.auditlog.verify.SignedNote;
import io.auditlog.verify.VerifierKey;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A tenant's verifiable history as its owner reads it through the gateway: signed checkpoints, keys, proofs and
 * exports; and the offline verifier ({@code verify/target/verify.jar}, the program behind {@code bin/verify}) run as
 * a separate process on an export, as a tenant would run it.
 */
final class HistoryClient {

  /** What the verifier printed and how it exited. */
  record Verdict(int exit, String output) {
  }

  private final Cluster cluster;
  private final Cluster.Tenant tenant;

  HistoryClient(Cluster cluster, Cluster.Tenant tenant) {
    this.cluster = cluster;
    this.tenant = tenant;
  }

  /** GET {@code /audit/<tenant><suffix>} with the owner's token; the status and body. */
  HttpResponse<byte[]> get(String suffix) throws Exception {
    return Cluster.HTTP.send(HttpRequest.newBuilder(URI.create(cluster.base + "/audit/" + tenant.id() + suffix))
        .header("Authorization", "Bearer " + tenant.token()).timeout(Duration.ofSeconds(60)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  JsonNode json(String suffix) throws Exception {
    HttpResponse<byte[]> response = get(suffix);
    if (response.statusCode() != 200) {
      throw new IllegalStateException(suffix + ": " + response.statusCode() + " "
          + new String(response.body(), StandardCharsets.UTF_8));
    }
    return Cluster.JSON.readTree(response.body());
  }

  List<VerifierKey> keys() throws Exception {
    List<VerifierKey> keys = new ArrayList<>();
    json("/keys").path("keys").forEach(key -> keys.add(VerifierKey.parse(key.path("vkey").asText())));
    return keys;
  }

  /** The latest signed checkpoint, its signature checked against the published keys; null when none is signed. */
  Checkpoint checkpoint() throws Exception {
    HttpResponse<byte[]> response = get("/checkpoint");
    if (response.statusCode() == 404) {
      return null;
    }
    return Checkpoint.parse(SignedNote.open(new String(response.body(), StandardCharsets.UTF_8), keys()).body());
  }

  /** Waits until a checkpoint of at least {@code size} leaves is signed; returns it. */
  Checkpoint awaitCheckpoint(long size, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Checkpoint latest = checkpoint();
    while ((latest == null || latest.size() < size) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      latest = checkpoint();
    }
    if (latest == null || latest.size() < size) {
      throw new AssertionError("no checkpoint of " + size + " leaves; latest " + latest + "\n" + cluster.describe());
    }
    return latest;
  }

  /** The whole history up to the latest checkpoint, written to {@code file}. */
  Path export(Path file, String query) throws Exception {
    HttpResponse<byte[]> response = get("/export" + query);
    if (response.statusCode() != 200) {
      throw new IllegalStateException("export: " + response.statusCode() + " "
          + new String(response.body(), StandardCharsets.UTF_8));
    }
    Files.write(file, response.body());
    return file;
  }

  /** Runs the offline verifier on {@code file} against the published keys, without a pinned checkpoint. */
  Verdict verify(Path file) throws Exception {
    List<String> command = new ArrayList<>(List.of(ProjectLayout.javaBinary(), "-jar",
        ProjectLayout.locate().root().resolve("verify/target/verify.jar").toString()));
    for (VerifierKey key : keys()) {
      command.add("--vkey");
      command.add(key.vkey());
    }
    command.add("--no-state");
    command.add(file.toString());
    return run(command);
  }

  private static Verdict run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("the verifier did not finish: " + output);
    }
    return new Verdict(process.exitValue(), output);
  }
}
