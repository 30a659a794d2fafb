package dev.archivist.core;

/** Placeholder until issue 3 lands the real lexer and parser. */
final class SelectorParser {
  private SelectorParser() {}

  static LabelSelector parse(String selector) {
    if (selector == null || selector.isBlank()) {
      return LabelSelector.everything();
    }
    throw new InvalidSelectorException(selector, -1, "selector parsing is not built yet");
  }
}
