/**
 * client-go's work-queue semantics in Java, with no runtime dependencies.
 *
 * <p>Start at {@link dev.archivist.workqueue.WorkQueues#builder()}. The layers decorate each
 * other: {@link dev.archivist.workqueue.WorkQueue} (deduplicating FIFO with a processing set),
 * {@link dev.archivist.workqueue.DelayingQueue} ({@code addAfter}), {@link
 * dev.archivist.workqueue.RateLimitingQueue} ({@code addRateLimited}, {@code forget}), with
 * retry policies from {@link dev.archivist.workqueue.RateLimiters} and a standalone {@link
 * dev.archivist.workqueue.TokenBucket}. Metrics go through the {@link
 * dev.archivist.workqueue.MetricsProvider} seam (no-op by default); time through an injected
 * {@link dev.archivist.workqueue.Ticker}. See {@code docs/workqueue.md} for the rules, the locks
 * and the invariants.
 */
package dev.archivist.workqueue;
