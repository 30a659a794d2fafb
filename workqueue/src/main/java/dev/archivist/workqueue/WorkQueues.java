package dev.archivist.workqueue;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * The one way to build a work queue:
 *
 * <pre>{@code
 * RateLimitingQueue<WorkflowKey> queue = WorkQueues.<WorkflowKey>builder()
 *     .name("archive")
 *     .capacity(100_000)
 *     .rateLimiter(RateLimiters.defaultControllerRateLimiter())
 *     .metrics(provider)
 *     .buildRateLimiting();
 * }</pre>
 *
 * <p>Whoever builds a queue owns it and must {@link WorkQueue#shutDown shut it down}: a delaying
 * or rate-limiting queue runs one thread until then.
 */
public final class WorkQueues {
  private WorkQueues() {}

  public static <T> Builder<T> builder() {
    return new Builder<>();
  }

  /** Settings for a queue; not thread-safe, and reusable only to build one queue. */
  public static final class Builder<T> {
    private String name = "";
    private Ticker ticker = Ticker.system();
    private ThreadFactory threadFactory;
    private int capacity = Integer.MAX_VALUE;
    private RateLimiter<? super T> rateLimiter;
    private MetricsProvider metrics = MetricsProvider.noop();

    private Builder() {}

    /**
     * Names the queue in metrics ({@code name="archive"}) and in its thread's name. An unnamed
     * queue (the default) reports no metrics, as in client-go. Names must be unique per registry.
     */
    public Builder<T> name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The clock for delays, rate limits and durations; {@link Ticker#system()} by default. */
    public Builder<T> ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Makes the one thread of a delaying or rate-limiting queue. By default a daemon thread named
     * {@code workqueue-<name>-delay}.
     */
    public Builder<T> threadFactory(ThreadFactory threadFactory) {
      this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
      return this;
    }

    /**
     * The most distinct items {@link WorkQueue#add} keeps pending; beyond it {@code add} returns
     * false and counts a drop. Items waiting in the delaying layer, and retries coming out of it,
     * are not limited. 0 means unbounded, the default.
     *
     * @throws IllegalArgumentException if {@code capacity < 0}
     */
    public Builder<T> capacity(int capacity) {
      if (capacity < 0) {
        throw new IllegalArgumentException("queue capacity must be >= 0 (0 = unbounded), got "
            + capacity);
      }
      this.capacity = capacity == 0 ? Integer.MAX_VALUE : capacity;
      return this;
    }

    /**
     * The retry policy of {@link #buildRateLimiting()}; by default {@link
     * RateLimiters#defaultControllerRateLimiter(Ticker)} on this builder's ticker.
     */
    public Builder<T> rateLimiter(RateLimiter<? super T> rateLimiter) {
      this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
      return this;
    }

    /** Where a named queue reports; {@link MetricsProvider#noop()} by default. */
    public Builder<T> metrics(MetricsProvider metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /** A plain deduplicating queue; starts no thread. */
    public WorkQueue<T> build() {
      return basic(queueMetrics());
    }

    /** A queue with {@link DelayingQueue#addAfter}; starts its waiting thread. */
    public DelayingQueue<T> buildDelaying() {
      QueueMetrics queueMetrics = queueMetrics();
      return DelayLayer.start(basic(queueMetrics), ticker, queueMetrics, threads());
    }

    /** A queue with per-item retry spacing; starts its waiting thread. */
    public RateLimitingQueue<T> buildRateLimiting() {
      RateLimiter<? super T> limiter =
          rateLimiter != null ? rateLimiter : RateLimiters.defaultControllerRateLimiter(ticker);
      return new RateLimitLayer<>(buildDelaying(), limiter);
    }

    private QueueMetrics queueMetrics() {
      if (name.isEmpty()) {
        return QueueMetrics.noop();
      }
      return Objects.requireNonNull(metrics.forQueue(name),
          () -> "metrics provider " + metrics + " returned null for queue " + name);
    }

    private BasicWorkQueue<T> basic(QueueMetrics queueMetrics) {
      BasicWorkQueue<T> queue = new BasicWorkQueue<>(ticker, queueMetrics, capacity);
      queueMetrics.bindGauges(queue);
      return queue;
    }

    private ThreadFactory threads() {
      if (threadFactory != null) {
        return threadFactory;
      }
      String threadName = "workqueue-" + (name.isEmpty() ? "unnamed" : name) + "-delay";
      return task -> {
        Thread thread = new Thread(task, threadName);
        thread.setDaemon(true);
        return thread;
      };
    }
  }
}
