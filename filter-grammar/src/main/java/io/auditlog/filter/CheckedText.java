package io.auditlog.filter;

/**
 * A value as a pattern reads it, running a checkpoint every {@value #CHARACTERS_BETWEEN_CHECKS} characters read.
 * RE2/J takes time linear in the value, but the factor is the pattern's size: a pattern of a few hundred characters
 * over a 60 KiB request body runs for seconds. The checkpoint (the read's deadline) stops it mid-value.
 */
final class CheckedText implements CharSequence {

  static final int CHARACTERS_BETWEEN_CHECKS = 64;

  private final String text;
  private final Runnable checkpoint;
  private int reads;

  CheckedText(String text, Runnable checkpoint) {
    this.text = text;
    this.checkpoint = checkpoint;
  }

  @Override
  public char charAt(int index) {
    if (++reads == CHARACTERS_BETWEEN_CHECKS) {
      reads = 0;
      checkpoint.run();
    }
    return text.charAt(index);
  }

  @Override
  public int length() {
    return text.length();
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return new CheckedText(text.substring(start, end), checkpoint);
  }

  @Override
  public String toString() {
    return text;
  }
}
