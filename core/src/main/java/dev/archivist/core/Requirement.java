package dev.archivist.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One clause of a label selector. {@code values} is empty for {@link Operator#EXISTS} and
 * {@link Operator#DOES_NOT_EXIST}, has one element for equality and {@code gt}/{@code lt}, and one
 * or more (sorted, distinct) for {@code in}/{@code notin}.
 */
public record Requirement(String key, Operator operator, List<String> values) {
  public Requirement {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(operator, "operator");
    values = List.copyOf(values);
  }

  /** Whether this clause holds for {@code labels}, with Kubernetes' semantics. */
  public boolean matches(Map<String, String> labels) {
    String actual = labels.get(key);
    switch (operator) {
      case EXISTS:
        return actual != null;
      case DOES_NOT_EXIST:
        return actual == null;
      case EQUALS:
      case IN:
        return actual != null && values.contains(actual);
      case NOT_EQUALS:
      case NOT_IN:
        return actual == null || !values.contains(actual);
      case GREATER_THAN:
      case LESS_THAN:
        if (actual == null) {
          return false;
        }
        long have;
        try {
          have = Long.parseLong(actual);
        } catch (NumberFormatException e) {
          return false;
        }
        long want = Long.parseLong(values.get(0));
        return operator == Operator.GREATER_THAN ? have > want : have < want;
      default:
        throw new AssertionError(operator);
    }
  }

  @Override
  public String toString() {
    switch (operator) {
      case EXISTS:
        return key;
      case DOES_NOT_EXIST:
        return "!" + key;
      case EQUALS:
        return key + "=" + values.get(0);
      case NOT_EQUALS:
        return key + "!=" + values.get(0);
      case IN:
        return key + " in (" + String.join(",", values) + ")";
      case NOT_IN:
        return key + " notin (" + String.join(",", values) + ")";
      case GREATER_THAN:
        return key + " gt " + values.get(0);
      case LESS_THAN:
        return key + " lt " + values.get(0);
      default:
        throw new AssertionError(operator);
    }
  }
}
