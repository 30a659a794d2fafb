package dev.archivist.server;

import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One condition {@code /readyz} requires, such as "the database answers" or "the informer has
 * synced". {@code /readyz} answers 200 only when every check is ready, and otherwise 503 with a
 * JSON body naming the checks that are not.
 *
 * <p>Implementations are called on HTTP request threads, concurrently, each time {@code /readyz}
 * is asked; they must be thread-safe and quick (read a flag, or do one bounded probe). A check
 * that throws counts as not ready, and the exception's message becomes its detail.
 */
public interface ReadinessCheck {

  /** A short stable name, shown in {@code /readyz}: {@code database}, {@code informer}. */
  String name();

  /** The current status. */
  Status status();

  /** A check named {@code name} that is ready when {@code ready} returns true. */
  static ReadinessCheck of(String name, BooleanSupplier ready) {
    Objects.requireNonNull(ready, "ready");
    return ofStatus(name,
        () -> ready.getAsBoolean() ? Status.ok() : Status.notReady("not ready"));
  }

  /** A check named {@code name} whose status {@code status} computes. */
  static ReadinessCheck ofStatus(String name, Supplier<Status> status) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
    return new ReadinessCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Status status() {
        return status.get();
      }

      @Override
      public String toString() {
        return "ReadinessCheck[" + name + "]";
      }
    };
  }

  /**
   * Whether a check passes, and why not.
   *
   * @param ready whether the condition holds
   * @param detail for people: what was found ({@code "informer has not synced yet"}); never a
   *     secret
   */
  record Status(boolean ready, String detail) {
    public Status {
      Objects.requireNonNull(detail, "detail");
    }

    public static Status ok() {
      return new Status(true, "ok");
    }

    public static Status notReady(String detail) {
      return new Status(false, detail);
    }
  }
}
