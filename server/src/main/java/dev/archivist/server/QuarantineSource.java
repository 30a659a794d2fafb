package dev.archivist.server;

import dev.archivist.store.QuarantineEntry;
import java.util.List;

/**
 * The workflows the controller gave up archiving after {@code --max-retries} failures, for
 * {@code GET /api/v1/quarantine}. The app implements it over the store's quarantine log, which the
 * controller keeps, so that every replica, leader or not, answers the same; {@code serve}, which
 * runs no controller, passes none and the endpoint is absent.
 *
 * <p>Called on HTTP request threads, concurrently: implementations must be thread-safe and must
 * not hand out a list they still mutate. They may do I/O, but should answer within a request's
 * time; a failure they throw becomes the endpoint's error response.
 */
@FunctionalInterface
public interface QuarantineSource {

  /** A snapshot of the quarantine, in any order; the server sorts it. */
  List<QuarantineEntry> quarantined();
}
