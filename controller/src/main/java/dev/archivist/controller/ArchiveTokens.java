package dev.archivist.controller;

/**
 * The archive rate limit ({@code --archive-qps}, {@code --archive-burst}): one token per
 * workflow, taken before its batch goes to the database.
 */
interface ArchiveTokens {
  /** No limit ({@code --archive-qps 0}). */
  ArchiveTokens UNLIMITED = n -> {};

  /**
   * Blocks until {@code n} tokens are taken.
   *
   * @throws InterruptedException when the worker is interrupted (shutdown); tokens already taken are spent
   */
  void take(int n) throws InterruptedException;
}
