package dev.archivist.app;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running parts of a command, closed once, in the reverse of the order they started: the HTTP
 * server before the controller, the controller before the store, the store before the database.
 *
 * <p>Threads: the command's thread adds parts and may close; a JVM shutdown hook (SIGTERM,
 * Ctrl-C) may close concurrently. The lock guards {@code parts} and {@code closed} only; the
 * parts' {@code close} methods run outside it, on whichever thread closes first. A part added
 * after closing began is closed at once, so nothing started late outlives the command.
 */
final class Lifecycle implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

  private record Part(String name, AutoCloseable resource) {}

  private final Object lock = new Object();
  // @GuardedBy("lock")
  private final Deque<Part> parts = new ArrayDeque<>();
  // @GuardedBy("lock")
  private boolean closed;
  private final CountDownLatch done = new CountDownLatch(1);
  private Thread hook;

  /** Registers a started part; returns it. */
  <T extends AutoCloseable> T add(String name, T resource) {
    boolean closeNow;
    synchronized (lock) {
      closeNow = closed;
      if (!closeNow) {
        parts.push(new Part(name, resource));
      }
    }
    if (closeNow) {
      closeQuietly(new Part(name, resource));
    }
    return resource;
  }

  /** Closes every part on SIGTERM or Ctrl-C. */
  void closeOnShutdown() {
    hook = new Thread(this::close, "archivist-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Blocks until {@link #close()} has finished (normally: until SIGTERM or Ctrl-C). */
  void awaitClosed() throws InterruptedException {
    done.await();
  }

  boolean isClosed() {
    synchronized (lock) {
      return closed;
    }
  }

  @Override
  public void close() {
    List<Part> toClose;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = new ArrayList<>(parts);
      parts.clear();
    }
    try {
      for (Part part : toClose) {
        closeQuietly(part);
      }
    } finally {
      done.countDown();
      removeHook();
    }
  }

  private void removeHook() {
    if (hook != null && Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // The JVM is exiting; the hook is running or has run.
      }
    }
  }

  // A boundary: one part failing to close must not keep the others open.
  private static void closeQuietly(Part part) {
    try {
      part.resource().close();
      log.debug("closed {}", part.name());
    } catch (Exception e) {
      log.warn("closing {} failed: {}", part.name(), Main.describe(e));
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
