package dev.archivist.core;

import java.util.List;
import java.util.Map;

/**
 * A Kubernetes label selector: a conjunction of {@link Requirement}s, parsed with Kubernetes'
 * grammar ({@code =}, {@code ==}, {@code !=}, {@code in}, {@code notin}, {@code key},
 * {@code !key}, {@code gt}, {@code lt}).
 *
 * <p>Immutable and thread-safe. The same value drives in-memory matching (the controller's
 * {@code --archive-label-selector}) and parameterized SQL (the archive's list queries).
 */
public final class LabelSelector {
  private static final LabelSelector EVERYTHING = new LabelSelector(List.of());

  private final List<Requirement> requirements;

  private LabelSelector(List<Requirement> requirements) {
    this.requirements = List.copyOf(requirements);
  }

  /** The selector that matches every label set. */
  public static LabelSelector everything() {
    return EVERYTHING;
  }

  /** A selector of the given requirements, all of which must hold. */
  public static LabelSelector of(List<Requirement> requirements) {
    return requirements.isEmpty() ? EVERYTHING : new LabelSelector(requirements);
  }

  /**
   * Parses a selector. A null or blank string is {@link #everything()}.
   *
   * @throws InvalidSelectorException naming the position and what was expected there
   */
  public static LabelSelector parse(String selector) {
    return SelectorParser.parse(selector);
  }

  public List<Requirement> requirements() {
    return requirements;
  }

  public boolean isEmpty() {
    return requirements.isEmpty();
  }

  /** Whether every requirement holds for {@code labels}. */
  public boolean matches(Map<String, String> labels) {
    for (Requirement r : requirements) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelSelector other && requirements.equals(other.requirements);
  }

  @Override
  public int hashCode() {
    return requirements.hashCode();
  }

  /** The canonical selector string, which {@link #parse} reads back to an equal selector. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Requirement r : requirements) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(r);
    }
    return sb.toString();
  }
}
