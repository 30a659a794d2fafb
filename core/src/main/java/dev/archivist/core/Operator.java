package dev.archivist.core;

/** The operators of a Kubernetes label selector requirement. */
public enum Operator {
  /** {@code key=value} or {@code key==value}. */
  EQUALS,
  /** {@code key!=value}: also true when the key is absent. */
  NOT_EQUALS,
  /** {@code key in (a,b)}. */
  IN,
  /** {@code key notin (a,b)}: also true when the key is absent. */
  NOT_IN,
  /** {@code key}. */
  EXISTS,
  /** {@code !key}. */
  DOES_NOT_EXIST,
  /** {@code key gt 5}: the value parses as an integer greater than the operand. */
  GREATER_THAN,
  /** {@code key lt 5}: the value parses as an integer less than the operand. */
  LESS_THAN
}
