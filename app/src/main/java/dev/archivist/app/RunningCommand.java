package dev.archivist.app;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A long-running command (run, serve, demo), which keeps its {@link Lifecycle} while it runs so
 * that {@link #stop()} can end it as SIGTERM or Ctrl-C would: tests cannot send a signal.
 *
 * <p>Thread-safety: {@link #stop()} may be called from any thread; the rest from the command's.
 */
abstract class RunningCommand implements Callable<Integer> {
  private volatile Lifecycle current;

  /** A new lifecycle, closed by the JVM's shutdown hook when {@code onShutdown} is true. */
  Lifecycle startLifecycle(boolean onShutdown) {
    Lifecycle lifecycle = new Lifecycle();
    if (onShutdown) {
      lifecycle.closeOnShutdown();
    }
    current = lifecycle;
    return lifecycle;
  }

  /** Closes {@code lifecycle} (idempotent) and forgets it. */
  void finishLifecycle(Lifecycle lifecycle) {
    lifecycle.close();
    current = null;
  }

  /** Whether {@code lifecycle} is the one running and not closing. */
  boolean isRunning(Lifecycle lifecycle) {
    return current == lifecycle && !lifecycle.isClosed();
  }

  /**
   * Says on stderr what is now running ({@code started}) and how to stop it, then waits until
   * {@code lifecycle} closes: SIGTERM, Ctrl-C or {@link #stop()}.
   */
  static int awaitStop(CommandSpec spec, Lifecycle lifecycle, String started)
      throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    err.println("archivist: " + started + ". Stop with Ctrl-C or SIGTERM.");
    err.flush();
    lifecycle.awaitClosed();
    return ExitCodes.OK;
  }

  /** Stops the running command, if any, as SIGTERM or Ctrl-C would. */
  void stop() {
    Lifecycle l = current;
    if (l != null) {
      l.close();
    }
  }
}
