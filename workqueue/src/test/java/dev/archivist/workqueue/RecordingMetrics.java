package dev.archivist.workqueue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * Records every metrics event, and fails the recording (see {@link #calledUnderLock}) if any event
 * arrives while the calling thread holds one of the queue's locks.
 */
final class RecordingMetrics implements MetricsProvider, QueueMetrics {
  final List<String> names = new CopyOnWriteArrayList<>();
  final List<String> events = new CopyOnWriteArrayList<>();
  final List<Long> queueDurations = new CopyOnWriteArrayList<>();
  final List<Long> workDurations = new CopyOnWriteArrayList<>();
  final List<BooleanSupplier> locks = new CopyOnWriteArrayList<>();
  volatile QueueGauges gauges;
  volatile boolean calledUnderLock;

  @Override
  public QueueMetrics forQueue(String name) {
    names.add(name);
    return this;
  }

  private void record(String event) {
    for (BooleanSupplier held : locks) {
      if (held.getAsBoolean()) {
        calledUnderLock = true;
      }
    }
    events.add(event);
  }

  long count(String event) {
    return events.stream().filter(event::equals).count();
  }

  @Override
  public void added() {
    record("added");
  }

  @Override
  public void dropped() {
    record("dropped");
  }

  @Override
  public void retried() {
    record("retried");
  }

  @Override
  public void queueDuration(long nanos) {
    record("queueDuration");
    queueDurations.add(nanos);
  }

  @Override
  public void workDuration(long nanos) {
    record("workDuration");
    workDurations.add(nanos);
  }

  @Override
  public void bindGauges(QueueGauges gauges) {
    this.gauges = gauges;
    if (gauges instanceof BasicWorkQueue) {
      BasicWorkQueue<?> queue = (BasicWorkQueue<?>) gauges;
      locks.add(queue::lockHeldByCurrentThread);
    }
  }
}
