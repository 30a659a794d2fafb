package dev.archivist.controller.kube;

import dev.archivist.core.WorkflowKey;

/** A Kubernetes call of a worker failed; the message has the verb, key, HTTP code and time. */
public final class WorkflowApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int code;

  public WorkflowApiException(String verb, WorkflowKey key, int code, long elapsedMillis,
      Throwable cause) {
    super("archive controller: " + verb + " workflow " + key + " failed after " + elapsedMillis
        + " ms" + (code > 0 ? " with HTTP " + code : " (no HTTP response)") + ": "
        + (cause == null ? "" : cause.getMessage()), cause);
    // fabric8 gives -1 when no response came (connection refused, reset, timed out); the
    // callers ask KubeOutages.isOutage, whose "no response" is 0.
    this.code = Math.max(0, code);
  }

  /** The HTTP status, or 0 when there was no response. */
  public int code() {
    return code;
  }
}
