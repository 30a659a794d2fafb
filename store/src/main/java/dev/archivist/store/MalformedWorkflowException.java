package dev.archivist.store;

/** A workflow object that cannot be archived at all; the message names what is wrong. */
public final class MalformedWorkflowException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public MalformedWorkflowException(String message) {
    super(message);
  }
}
