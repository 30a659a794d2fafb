package dev.archivist.controller.informer;

import dev.archivist.workqueue.MetricsProvider;
import dev.archivist.workqueue.QueueGauges;
import dev.archivist.workqueue.QueueMetrics;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Remembers that the archive queue dropped a key at capacity, so the sweep knows it has work.
 *
 * <p>It listens on the queue's metrics seam (wrapping the exporting provider) rather than in the
 * event handler, which stays a bare {@code queue.add}. Thread-safe: one atomic flag.
 */
public final class DropSignal {
  private final AtomicBoolean dropped = new AtomicBoolean();

  /** {@code delegate}'s metrics, plus this signal on every drop. */
  public MetricsProvider wrap(MetricsProvider delegate) {
    Objects.requireNonNull(delegate, "delegate");
    return name -> {
      QueueMetrics inner = delegate.forQueue(name);
      return new QueueMetrics() {
        @Override
        public void added() {
          inner.added();
        }

        @Override
        public void dropped() {
          dropped.set(true);
          inner.dropped();
        }

        @Override
        public void retried() {
          inner.retried();
        }

        @Override
        public void queueDuration(long nanos) {
          inner.queueDuration(nanos);
        }

        @Override
        public void workDuration(long nanos) {
          inner.workDuration(nanos);
        }

        @Override
        public void bindGauges(QueueGauges gauges) {
          inner.bindGauges(gauges);
        }
      };
    };
  }

  /** Whether a key was dropped since the last call; clears the signal. */
  boolean takeDropped() {
    return dropped.getAndSet(false);
  }

  /** Records a drop seen elsewhere (for tests and for a sweep that itself hit capacity). */
  void markDropped() {
    dropped.set(true);
  }
}
