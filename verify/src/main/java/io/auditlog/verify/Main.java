package io.auditlog.verify;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code verify (--vkey V… | --vkey-file F) [--state DIR | --no-state] [--json] FILE|-}: verifies an export offline
 * and prints one line per check and the result, or the same as JSON. Exit 0 when all is good, 1 when verification
 * fails, 2 for a usage or input error.
 */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.in, System.out, System.err));
  }

  /** Runs the command with the given streams and returns the exit code. */
  static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      out.println(Arguments.USAGE);
      return 0;
    }
    boolean json = List.of(args).contains("--json");
    VerificationResult result;
    try {
      Arguments arguments = Arguments.parse(args);
      result = verify(arguments, stdin);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      err.println("verify: " + e.getMessage());
      err.println(Arguments.USAGE);
      result = new CheckList(List.of("arguments")).error(e.getMessage());
    } catch (RuntimeException e) {
      // A defect here must not read as a verdict on the export: exit 2, never 0 or 1.
      e.printStackTrace(err);
      result = new CheckList(List.of("verifier")).error("internal error: " + e);
    }
    out.print(json ? result.json() : result.text());
    out.flush();
    return result.exitCode();
  }

  private static VerificationResult verify(Arguments arguments, InputStream stdin) {
    ExportVerifier verifier = arguments.state()
        .map(directory -> ExportVerifier.withPins(arguments.keys(), new PinStore(directory)))
        .orElseGet(() -> ExportVerifier.withoutPins(arguments.keys()));
    if (arguments.file().equals("-")) {
      return verifier.verify(stdin);
    }
    try (InputStream input = Files.newInputStream(Path.of(arguments.file()))) {
      return verifier.verify(input);
    } catch (IOException e) {
      return new CheckList(List.of("input")).error("cannot read " + arguments.file() + ": " + e);
    }
  }
}
