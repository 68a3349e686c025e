package io.auditlog.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every inclusion and consistency file of the transparency-dev/merkle test data (spec §12.1): an error exactly where
 * {@code wantErr} is true. The one documented deviation: equal-size consistency files whose roots are not 32 bytes
 * are rejected, because a root always has 32 bytes.
 */
class MerkleTestDataTest {

  private static final Path DATA = Path.of(System.getProperty("merkle.testdata",
      "../../shared/data/merkle-testdata"));

  @TestFactory
  Stream<DynamicTest> inclusionFiles() {
    return files("inclusion").stream().map(file -> DynamicTest.dynamicTest(name(file), () -> {
      Map<?, ?> json = read(file);
      Runnable verify = () -> Proofs.verifyInclusion(unsigned(json, "leafIdx"), unsigned(json, "treeSize"),
          bytes(json, "leafHash"), hashes(json), bytes(json, "root"));
      expect(verify, (Boolean) json.get("wantErr"));
    }));
  }

  @TestFactory
  Stream<DynamicTest> consistencyFiles() {
    return files("consistency").stream().map(file -> DynamicTest.dynamicTest(name(file), () -> {
      Map<?, ?> json = read(file);
      Runnable verify = () -> Proofs.verifyConsistency(unsigned(json, "size1"), unsigned(json, "size2"),
          bytes(json, "root1"), bytes(json, "root2"), hashes(json));
      expect(verify, (Boolean) json.get("wantErr") || isDeviation(json));
    }));
  }

  @Test
  void theDeviationConcernsOneFileOnly() {
    List<String> deviations = files("consistency").stream()
        .filter(file -> isDeviation(read(file)) && !(Boolean) read(file).get("wantErr"))
        .map(MerkleTestDataTest::name)
        .toList();
    assertThat(deviations).containsExactly("consistency/additional/sizes-are-equal-one-and-proof-is-empty.json");
  }

  @Test
  void theDataIsAllThere() {
    assertThat(files("inclusion")).hasSize(98);
    assertThat(files("consistency")).hasSize(98);
  }

  private static boolean isDeviation(Map<?, ?> json) {
    return json.get("size1").equals(json.get("size2"))
        && (bytes(json, "root1").length != TreeHash.SIZE || bytes(json, "root2").length != TreeHash.SIZE);
  }

  private static void expect(Runnable verify, boolean wantErr) {
    if (wantErr) {
      assertThatThrownBy(verify::run).isInstanceOf(VerificationException.class);
    } else {
      assertThatCode(verify::run).doesNotThrowAnyException();
    }
  }

  private static List<Path> files(String kind) {
    Path folder = DATA.resolve(kind);
    if (!Files.isDirectory(folder)) {
      fail("the merkle test data is missing: " + folder.toAbsolutePath()
          + " (the build passes its folder as the system property merkle.testdata)");
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      return new ArrayList<>(paths.filter(path -> path.toString().endsWith(".json")).sorted().toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String name(Path file) {
    return DATA.relativize(file).toString();
  }

  private static Map<?, ?> read(Path file) {
    try {
      return (Map<?, ?>) Json.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long unsigned(Map<?, ?> json, String key) {
    return UnsignedNumbers.parse(((JsonNumber) json.get(key)).text());
  }

  private static byte[] bytes(Map<?, ?> json, String key) {
    return Base64.getDecoder().decode((String) json.get(key));
  }

  private static List<byte[]> hashes(Map<?, ?> json) {
    Object proof = json.get("proof");
    if (proof == Json.NULL) {
      return List.of();
    }
    return ((List<?>) proof).stream().map(hash -> Base64.getDecoder().decode((String) hash)).toList();
  }
}
