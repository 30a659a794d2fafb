package dev.archivist.server;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The workflows the controller gave up archiving after {@code --max-retries} failures, for
 * {@code GET /api/v1/quarantine}. The controller implements it; {@code serve}, which has no
 * controller, passes none and the endpoint is absent.
 *
 * <p>Called on HTTP request threads, concurrently: implementations must be thread-safe and must
 * not hand out a list they still mutate. They may do I/O (the app reads the quarantine table, so
 * that every replica, leader or not, answers the same), but should answer within a request's
 * time; a failure they throw becomes the endpoint's error response.
 */
@FunctionalInterface
public interface QuarantineSource {

  /** A snapshot of the quarantine, in any order; the server sorts it. */
  List<QuarantinedWorkflow> quarantined();

  /**
   * One quarantined workflow.
   *
   * @param namespace its namespace
   * @param name its name
   * @param uid its uid, or null when it was not known at the last attempt
   * @param failures how many attempts failed
   * @param lastError the last failure, for people (no secrets)
   * @param since when it was quarantined
   */
  record QuarantinedWorkflow(String namespace, String name, String uid, int failures,
      String lastError, Instant since) {
    public QuarantinedWorkflow {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(lastError, "lastError");
      Objects.requireNonNull(since, "since");
    }
  }
}
