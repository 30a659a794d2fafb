package dev.archivist.controller.archive;

import dev.archivist.controller.kube.ForwardingWorkflowApi;
import dev.archivist.controller.kube.WorkflowApi;
import dev.archivist.controller.kube.WorkflowApiException;
import dev.archivist.controller.metrics.ControllerMetrics;
import dev.archivist.core.WorkflowKey;
import dev.archivist.store.ArchiveStore;
import dev.archivist.store.ArchiveStoreException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Counts the workflows that disappear before they are archived
 * ({@code archivist_workflows_lost_total}) and logs each at WARN with its name and uid.
 *
 * <p>Every archive candidate leaves the informers' selector some day: normally because this
 * controller labelled it {@code Archived}, else because it was deleted (Argo's TTL or retention,
 * {@code kubectl delete}), re-created under its name, run again ({@code argo retry}), relabelled
 * by someone else, or no longer matches {@code --archive-label-selector}. A watch cannot tell these
 * apart (the event of an object leaving a selector is a DELETED one), so:
 *
 * <ol>
 *   <li>{@link #tracking} wraps the workers' API: the uid of every workflow about to be marked is
 *       remembered until its departure, so the common case costs nothing more;
 *   <li>{@link #alongside} adds a departure handler to the informers' handler; it stays O(1) and
 *       never blocks (a set removal and a queue offer), as an informer handler must;
 *   <li>any other departure is checked on {@code executor}: still there under the same uid means
 *       it only left the selector; gone (404) or replaced (another uid) while the archive has no
 *       row for that uid means lost.
 * </ol>
 *
 * <p>Thread-safe: the handler runs on the informers' thread, the wrapped API on workers, the
 * check on {@code executor} (one drain at a time, guarded by {@code draining}). A failed check (the
 * API server or the database down) is retried after {@link #RETRY}. At most {@link #CAPACITY}
 * departures wait; beyond it one is dropped and logged, never blocking the informers.
 */
public final class LostWorkflows {
  private static final Logger log = LoggerFactory.getLogger(LostWorkflows.class);
  static final int CAPACITY = 10_000;
  static final Duration RETRY = Duration.ofSeconds(5);

  private record Departure(WorkflowKey key, String uid) {}

  private final WorkflowApi api;
  private final ArchiveStore store;
  private final ControllerMetrics metrics;
  private final ScheduledExecutorService executor;
  private final Duration retry;
  /** Uids being or already marked by this controller and not departed yet. */
  private final Set<String> marked = ConcurrentHashMap.newKeySet();
  private final Queue<Departure> departures = new ConcurrentLinkedQueue<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicBoolean draining = new AtomicBoolean();

  /**
   * @param api reads a departed workflow again (unwrapped: a check is not a mark)
   * @param executor runs the checks; its owner shuts it down
   */
  public LostWorkflows(WorkflowApi api, ArchiveStore store, ControllerMetrics metrics,
      ScheduledExecutorService executor) {
    this(api, store, metrics, executor, RETRY);
  }

  LostWorkflows(WorkflowApi api, ArchiveStore store, ControllerMetrics metrics,
      ScheduledExecutorService executor, Duration retry) {
    this.retry = Objects.requireNonNull(retry, "retry");
    this.api = Objects.requireNonNull(api, "api");
    this.store = Objects.requireNonNull(store, "store");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  /** {@code workers} with every mark remembered (before the PATCH, whose event may come first). */
  public WorkflowApi tracking(WorkflowApi workers) {
    return new ForwardingWorkflowApi(workers) {
      @Override
      public MarkResult markArchived(WorkflowKey key, Marking marking) {
        marked.add(marking.uid());
        boolean left = false;
        try {
          MarkResult result = super.markArchived(key, marking);
          // Labelled: it leaves the informers now. Gone or replaced: it left already, or its
          // departure is checked and its row found; CHANGED is not labelled. Released while
          // being deleted: a running one never was in the informers, so its uid would stay
          // here; its departure, if any, is checked and its row found.
          left = result == MarkResult.MARKED && !marking.deleting();
          return result;
        } finally {
          if (!left) {
            marked.remove(marking.uid());
          }
        }
      }
    };
  }

  /** {@code handler} plus the departure handler, for the informers. */
  public ResourceEventHandler<HasMetadata> alongside(ResourceEventHandler<HasMetadata> handler) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(HasMetadata obj) {
        handler.onAdd(obj);
      }

      @Override
      public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
        handler.onUpdate(oldObj, newObj);
      }

      @Override
      public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
        handler.onDelete(obj, deletedFinalStateUnknown);
        departed(obj);
      }
    };
  }

  private void departed(HasMetadata obj) {
    String uid = obj.getMetadata().getUid();
    if (uid == null || marked.remove(uid)) {
      return; // ours: it left because we labelled it
    }
    WorkflowKey key = new WorkflowKey(Objects.requireNonNullElse(obj.getMetadata()
        .getNamespace(), ""), obj.getMetadata().getName());
    if (waiting.incrementAndGet() > CAPACITY) {
      waiting.decrementAndGet();
      log.warn("archive controller: {} (uid {}) left the informers, but {} departures already "
          + "wait to be checked; not checked whether it was lost", key, uid, CAPACITY);
      return;
    }
    departures.add(new Departure(key, uid));
    schedule(0);
  }

  private void schedule(long delayMillis) {
    if (!draining.compareAndSet(false, true)) {
      return;
    }
    try {
      executor.schedule(this::drain, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      draining.set(false); // shutting down: what is left is not checked
    }
  }

  private void drain() {
    boolean later = false;
    try {
      Departure d;
      while ((d = departures.peek()) != null) {
        if (!check(d)) {
          later = true;
          return;
        }
        departures.poll();
        waiting.decrementAndGet();
      }
    } finally {
      draining.set(false);
      if (later) {
        schedule(retry.toMillis());
      } else if (!departures.isEmpty()) {
        schedule(0);
      }
    }
  }

  /** Decides one departure; false when it could not be decided now. */
  private boolean check(Departure d) {
    try {
      Optional<JsonNode> now = api.get(d.key());
      if (now.isPresent() && d.uid().equals(now.get().path("metadata").path("uid")
          .asString(""))) {
        return true; // still there: it only left the selector
      }
      if (store.get(d.uid()).isPresent()) {
        return true; // archived (by this controller before it knew, or by another)
      }
    } catch (WorkflowApiException | ArchiveStoreException e) {
      log.debug("archive controller: cannot check yet whether {} (uid {}) was lost: {}",
          d.key(), d.uid(), e.getMessage());
      return false;
    }
    metrics.lost();
    log.warn("archive controller: workflow {} (uid {}) was deleted or replaced before it was "
        + "archived; it is lost to the archive. --finalizer keeps workflows until they are "
        + "archived.", d.key(), d.uid());
    return true;
  }
}
