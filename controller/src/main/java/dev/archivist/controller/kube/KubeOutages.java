package dev.archivist.controller.kube;

import dev.archivist.workqueue.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API server failures that are outages rather than a workflow's fault: no response (a timeout,
 * a refused connection), 401, 403, 408, 429 and every 5xx. A workflow is never quarantined for
 * one; it is backed off and retried. Each is counted by code ({@code archivist_kube_errors_total}
 * through {@code sink}, code 0 for no response), the first of a run is logged at WARN and the
 * recovery at INFO, and {@link #failingFor} tells readiness how long the API server has been
 * failing without a success in between.
 *
 * <p>Thread-safe: any worker reports; readiness reads. Lock-free: {@code failingSince} is the
 * ticker reading of the first failure after the last success, or {@link #OK}.
 */
public final class KubeOutages {
  private static final Logger log = LoggerFactory.getLogger(KubeOutages.class);
  private static final long OK = Long.MIN_VALUE;

  private final Ticker ticker;
  private final IntConsumer sink;
  private final AtomicLong failingSince = new AtomicLong(OK);

  public KubeOutages(Ticker ticker, IntConsumer sink) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  /** Outages that go nowhere, for tests that do not look at them. */
  public static KubeOutages ignored() {
    return new KubeOutages(System::nanoTime, code -> { });
  }

  /** Whether an HTTP code (0: no response) is an outage, not something the workflow caused. */
  public static boolean isOutage(int code) {
    return code == 0 || code == 401 || code == 403 || code == 408 || code == 429 || code >= 500;
  }

  /** Counts a failed call; logs the first of a run. */
  public void failed(int code, String detail) {
    sink.accept(code);
    long now = ticker.read();
    if (failingSince.compareAndSet(OK, now)) {
      log.warn("archive controller: the API server fails ({}); backing off and retrying, never "
          + "holding it against a workflow: {}", code == 0 ? "no response" : "HTTP " + code,
          detail);
    }
  }

  /** A call succeeded: the outage, if any, is over. */
  public void succeeded() {
    long since = failingSince.getAndSet(OK);
    if (since != OK) {
      log.info("archive controller: the API server answers again after {} s of failures",
          Duration.ofNanos(ticker.read() - since).toSeconds());
    }
  }

  /** How long calls have failed without a success; zero when the last call succeeded. */
  public Duration failingFor() {
    long since = failingSince.get();
    return since == OK ? Duration.ZERO : Duration.ofNanos(ticker.read() - since);
  }
}
