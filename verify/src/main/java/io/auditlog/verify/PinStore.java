package io.auditlog.verify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The verifier's state: one pinned signed note per origin, in a file named by the percent-encoded origin. A pin is
 * replaced atomically; a note that contradicts it is kept beside it as {@code <pin file>.fork-<size>}.
 */
public final class PinStore {

  /** A pinned checkpoint and the file that holds its note. */
  public record Pin(Checkpoint checkpoint, Path file) {
  }

  private final Path directory;

  public PinStore(Path directory) {
    this.directory = directory;
  }

  /** {@code ~/.audit-verify}. */
  public static Path defaultDirectory() {
    return Path.of(System.getProperty("user.home"), ".audit-verify");
  }

  /**
   * The pinned checkpoint of the origin, if any.
   *
   * @throws IllegalArgumentException if the pin file does not hold a note of a checkpoint of that origin
   */
  public Optional<Pin> load(String origin) {
    Path file = file(origin);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      Checkpoint checkpoint = Checkpoint.parse(SignedNote.bodyOf(Files.readString(file, StandardCharsets.UTF_8)));
      if (!checkpoint.origin().equals(origin)) {
        throw new IllegalArgumentException("it is for the origin " + checkpoint.origin());
      }
      return Optional.of(new Pin(checkpoint, file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the pin " + file, e);
    } catch (IllegalArgumentException | VerificationException e) {
      throw new IllegalArgumentException("the pin " + file + " is damaged: " + e.getMessage(), e);
    }
  }

  /** Pins the note, replacing any earlier pin of its origin atomically, and returns the pin file. */
  public Path pin(String origin, String note) {
    Path file = file(origin);
    try {
      Files.createDirectories(directory);
      Path temporary = Files.createTempFile(directory, ".pin-", ".tmp");
      Files.writeString(temporary, note, StandardCharsets.UTF_8);
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the pin " + file, e);
    }
  }

  /** Keeps a note that contradicts the pin, as evidence, and returns its file. */
  public Path saveFork(String origin, long size, String note) {
    Path file = directory.resolve(file(origin).getFileName() + ".fork-" + Long.toUnsignedString(size));
    try {
      Files.createDirectories(directory);
      Files.writeString(file, note, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the fork evidence " + file, e);
    }
  }

  /** The pin file of an origin: every byte but letters, digits, '-', '_', '~' and a '.' not first is %XX. */
  public Path file(String origin) {
    ByteArrayOutputStream name = new ByteArrayOutputStream();
    byte[] bytes = origin.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      if (isUnreserved(b) && !(b == '.' && i == 0)) {
        name.write(b);
      } else {
        name.writeBytes(String.format("%%%02X", b).getBytes(StandardCharsets.US_ASCII));
      }
    }
    return directory.resolve(name.toString(StandardCharsets.US_ASCII));
  }

  private static boolean isUnreserved(int b) {
    return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '.' || b == '_'
        || b == '~';
  }
}
