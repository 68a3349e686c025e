package io.auditlog.verify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line {@code (--vkey V… | --vkey-file F) [--state DIR | --no-state] [--json] FILE|-}. A vkey file holds
 * one vkey per line; blank lines and lines starting with '#' are skipped.
 */
record Arguments(List<VerifierKey> keys, Optional<Path> state, boolean json, String file) {

  static final String USAGE = "usage: verify (--vkey V… | --vkey-file F) [--state DIR | --no-state] [--json] FILE|-";

  /**
   * Reads the arguments; state is the default directory unless {@code --state} or {@code --no-state} says otherwise.
   *
   * @throws IllegalArgumentException with what is wrong
   */
  static Arguments parse(String[] args) {
    List<VerifierKey> keys = new ArrayList<>();
    Path vkeyFile = null;
    Path state = null;
    boolean noState = false;
    boolean json = false;
    String file = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--vkey" -> keys.add(VerifierKey.parse(value(args, ++i, arg)));
        case "--vkey-file" -> vkeyFile = once(vkeyFile, Path.of(value(args, ++i, arg)), arg);
        case "--state" -> state = once(state, Path.of(value(args, ++i, arg)), arg);
        case "--no-state" -> noState = true;
        case "--json" -> json = true;
        default -> {
          if (arg.startsWith("--")) {
            throw new IllegalArgumentException("unknown option " + arg);
          }
          file = once(file, arg, "FILE");
        }
      }
    }
    if (keys.isEmpty() == (vkeyFile == null)) {
      throw new IllegalArgumentException("give either --vkey (one or more) or --vkey-file");
    }
    if (state != null && noState) {
      throw new IllegalArgumentException("give either --state or --no-state");
    }
    if (file == null) {
      throw new IllegalArgumentException("FILE is missing (- reads standard input)");
    }
    Optional<Path> stateDirectory = noState ? Optional.empty()
        : Optional.of(state != null ? state : PinStore.defaultDirectory());
    return new Arguments(vkeyFile != null ? readKeys(vkeyFile) : keys, stateDirectory, json, file);
  }

  private static String value(String[] args, int index, String option) {
    if (index >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[index];
  }

  private static <T> T once(T previous, T value, String name) {
    if (previous != null) {
      throw new IllegalArgumentException(name + " is given twice");
    }
    return value;
  }

  private static List<VerifierKey> readKeys(Path file) {
    List<VerifierKey> keys = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String vkey = line.strip();
        if (!vkey.isEmpty() && !vkey.startsWith("#")) {
          keys.add(VerifierKey.parse(vkey));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the vkey file " + file, e);
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("the vkey file " + file + " holds no vkey");
    }
    return keys;
  }
}
