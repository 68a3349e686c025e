package io.auditlog.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where the project's built pieces are, found from the working directory upwards (or from {@code AUDIT_HOME}). */
public final class ProjectLayout {

  private final Path root;

  private ProjectLayout(Path root) {
    this.root = root;
  }

  public static ProjectLayout locate() {
    Optional<String> home = Optional.ofNullable(System.getenv("AUDIT_HOME")).filter(s -> !s.isBlank());
    Path start = home.map(Path::of).orElse(Path.of("").toAbsolutePath());
    for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("infra/kafka-runtime"))) {
        return new ProjectLayout(dir);
      }
    }
    throw new IllegalStateException("cannot find the project root (a folder with infra/kafka-runtime) from " + start
        + "; set AUDIT_HOME");
  }

  public Path root() {
    return root;
  }

  /** The Kafka broker's jars, copied there by {@code mvn package} in infra/kafka-runtime. */
  public Path kafkaLib() {
    Path lib = root.resolve("infra/kafka-runtime/target/lib");
    if (!Files.isDirectory(lib)) {
      throw new IllegalStateException(lib + " is missing: build the project first (mvn -B -ntp package)");
    }
    return lib;
  }

  /** The runnable jar of one of the services (gateway, ingest-worker, query-service). */
  public Path serviceJar(String module) {
    Path jar = root.resolve(module).resolve("target").resolve(module + ".jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build the project first (mvn -B -ntp package)");
    }
    return jar;
  }

  /** The java launcher running this JVM, so children use the same JDK. */
  public static String javaBinary() {
    return ProcessHandle.current().info().command().orElse("java");
  }
}
