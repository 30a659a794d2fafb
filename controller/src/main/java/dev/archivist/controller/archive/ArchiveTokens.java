package dev.archivist.controller.archive;

import dev.archivist.workqueue.TokenBucket;

/**
 * The archive rate limit ({@code --archive-qps}, {@code --archive-burst}): one token per
 * workflow, taken before its batch goes to the database.
 */
public interface ArchiveTokens {
  /** No limit ({@code --archive-qps 0}). */
  ArchiveTokens UNLIMITED = n -> {};

  /** Tokens from {@code bucket}, whose waiters {@link #stop()} releases. */
  static ArchiveTokens stoppable(TokenBucket bucket) {
    return new StoppableTokens(bucket);
  }

  /**
   * Blocks until {@code n} tokens are taken.
   *
   * @throws InterruptedException when the worker is interrupted (shutdown); tokens already taken
   *     are spent
   */
  void take(int n) throws InterruptedException;

  /**
   * Makes every current and future {@link #take} throw {@link InterruptedException}, so that no
   * worker waits for tokens during shutdown. Does nothing for tokens that never wait.
   */
  default void stop() {}
}
