package dev.archivist.controller.archive;

import dev.archivist.controller.kube.WorkflowApi.Page;
import dev.archivist.controller.kube.WorkflowApiException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Shared cursors over the archive candidates of each namespace, so that the workers read a
 * namespace's backlog one LIST page at a time instead of one GET per workflow, and so that
 * concurrent workers get consecutive pages rather than the same first page.
 *
 * <p>A pass over a namespace starts with a LIST from the beginning (no {@code continue}); each
 * later page continues it, from the snapshot the pass started at. The page that comes back
 * without a {@code continue} token ends the pass, and the next one starts from the beginning
 * again, so it sees what completed meanwhile (what was marked {@code Archived} meanwhile has left
 * the selector). A continue token that expired ({@code 410 Gone}, after etcd compacted its
 * revision) ends the pass early: the page is read again from the beginning.
 *
 * <p>A page is a snapshot: the caller compares each item with the informer's latest
 * resourceVersion before using it (see {@code BatchArchiver}).
 *
 * <h2>Threads</h2>
 * Workers call {@link #next}. At most one page per namespace is read at a time, since the next
 * page needs the previous token: a worker that finds its namespace busy waits on {@code idle},
 * which releases {@code lock}. The lock guards {@code tokens} and {@code busy} only; no LIST is
 * sent while it is held.
 */
final class NamespacePages {
  private static final int GONE = 410;

  /** One LIST of a namespace's candidates; a failure throws {@link WorkflowApiException}. */
  @FunctionalInterface
  interface Lister {
    Page list(String namespace, int limit, String continueToken);
  }

  private final Lister lister;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition idle = lock.newCondition();
  /** The next page's token of each namespace in a pass; absent: the next page starts a pass. */
  private final Map<String, String> tokens = new HashMap<>(); // guarded by lock
  /** Namespaces whose page is being read now. */
  private final Set<String> busy = new HashSet<>(); // guarded by lock

  NamespacePages(Lister lister) {
    this.lister = Objects.requireNonNull(lister, "lister");
  }

  /**
   * The next page of {@code namespace}, at most {@code limit} items; waits while another worker
   * reads a page of the same namespace.
   *
   * @throws WorkflowApiException when the LIST fails (the pass starts over next time)
   * @throws InterruptedException while waiting for the namespace
   */
  Page next(String namespace, int limit) throws InterruptedException {
    String token;
    lock.lock();
    try {
      while (busy.contains(namespace)) {
        idle.await();
      }
      busy.add(namespace);
      token = tokens.remove(namespace);
    } finally {
      lock.unlock();
    }
    Page page = null;
    try {
      page = read(namespace, limit, token);
      return page;
    } finally {
      lock.lock();
      try {
        busy.remove(namespace);
        if (page != null && page.continueToken() != null) {
          tokens.put(namespace, page.continueToken());
        }
        idle.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private Page read(String namespace, int limit, String token) {
    try {
      return lister.list(namespace, limit, token);
    } catch (WorkflowApiException e) {
      if (e.code() != GONE || token == null) {
        throw e;
      }
      // The pass's snapshot was compacted away: start a new pass.
      return lister.list(namespace, limit, null);
    }
  }
}
