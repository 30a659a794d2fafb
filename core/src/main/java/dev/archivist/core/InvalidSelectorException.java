package dev.archivist.core;

/**
 * A label selector that does not parse or validate. The message names the selector, the position
 * and what was expected, for example
 * {@code "invalid label selector \"a in (b\": expected ',' or ')' at position 9"}.
 */
public final class InvalidSelectorException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String selector;
  private final int position;

  public InvalidSelectorException(String selector, int position, String message) {
    super("invalid label selector \"" + selector + "\": " + message
        + (position >= 0 ? " at position " + position : ""));
    this.selector = selector;
    this.position = position;
  }

  public String selector() {
    return selector;
  }

  /** The zero-based offset in {@link #selector()}, or -1 when the problem is not at one place. */
  public int position() {
    return position;
  }
}
