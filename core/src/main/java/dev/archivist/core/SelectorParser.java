package dev.archivist.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Kubernetes' label selector grammar, as {@code k8s.io/apimachinery/pkg/labels} reads it:
 *
 * <pre>
 *   selector    := "" | requirement ("," requirement)*
 *   requirement := ["!"] key
 *                | key ("=" | "==" | "!=") value
 *                | key ("in" | "notin") "(" [value ("," value)*] ")"
 *                | key ("gt" | "&gt;" | "lt" | "&lt;") integer
 * </pre>
 *
 * <p>Whitespace separates tokens and is otherwise ignored. Every character that is neither
 * whitespace nor one of {@code = ! ( ) , < >} belongs to an identifier; the words {@code in},
 * {@code notin}, {@code gt} and {@code lt} are operators only where an operator is expected, so
 * {@code a=in} is the value {@code "in"}. As in Kubernetes, an empty value is allowed
 * ({@code a=}, {@code a in ()}, {@code a in (b,)}), and the requirements come out sorted by key.
 *
 * <p>Keys and values are validated the way Kubernetes validates them, so a selector that parses
 * here is one an API server accepts, and every key fits Argo's {@code varchar(317)} label name
 * column and every value its {@code varchar(63)} value column.
 */
final class SelectorParser {
  /** Longest DNS-1123 subdomain: the optional key prefix. */
  static final int MAX_PREFIX_LENGTH = 253;
  /** Longest key name and longest value. */
  static final int MAX_NAME_LENGTH = 63;

  private enum Kind {
    IDENTIFIER("identifier"),
    NOT("'!'"),
    EQUALS("'='"),
    DOUBLE_EQUALS("'=='"),
    NOT_EQUALS("'!='"),
    GREATER("'>'"),
    LESS("'<'"),
    OPEN("'('"),
    CLOSE("')'"),
    COMMA("','"),
    END("end of selector");

    final String description;

    Kind(String description) {
      this.description = description;
    }
  }

  private record Token(Kind kind, String text, int position) {
    String describe() {
      return kind == Kind.IDENTIFIER ? "'" + text + "'" : kind.description;
    }
  }

  private final String input;
  private final List<Token> tokens;
  private int next;

  private SelectorParser(String input) {
    this.input = input;
    this.tokens = lex(input);
  }

  static LabelSelector parse(String selector) {
    if (selector == null || selector.isBlank()) {
      return LabelSelector.everything();
    }
    return new SelectorParser(selector).selector();
  }

  // ---- lexer ----

  private List<Token> lex(String s) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (isWhitespace(c)) {
        i++;
        continue;
      }
      int start = i;
      boolean equalsNext = i + 1 < n && s.charAt(i + 1) == '=';
      Kind kind = switch (c) {
        case '!' -> equalsNext ? Kind.NOT_EQUALS : Kind.NOT;
        case '=' -> equalsNext ? Kind.DOUBLE_EQUALS : Kind.EQUALS;
        case '>' -> Kind.GREATER;
        case '<' -> Kind.LESS;
        case '(' -> Kind.OPEN;
        case ')' -> Kind.CLOSE;
        case ',' -> Kind.COMMA;
        default -> Kind.IDENTIFIER;
      };
      if (kind == Kind.IDENTIFIER) {
        while (i < n && !isWhitespace(s.charAt(i)) && !isSpecial(s.charAt(i))) {
          i++;
        }
      } else {
        i += kind == Kind.NOT_EQUALS || kind == Kind.DOUBLE_EQUALS ? 2 : 1;
      }
      out.add(new Token(kind, s.substring(start, i), start));
    }
    out.add(new Token(Kind.END, "", n));
    return out;
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  private static boolean isSpecial(char c) {
    return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '<' || c == '>';
  }

  // ---- parser ----

  private LabelSelector selector() {
    List<Requirement> requirements = new ArrayList<>();
    while (true) {
      requirements.add(requirement());
      Token t = consume();
      if (t.kind() == Kind.END) {
        break;
      }
      if (t.kind() != Kind.COMMA) {
        throw error(t, "expected ',' or end of selector, found " + t.describe());
      }
    }
    // Kubernetes sorts by key (stably), which makes equal selectors compare equal.
    requirements.sort(Comparator.comparing(Requirement::key));
    return LabelSelector.of(requirements);
  }

  private Requirement requirement() {
    Token first = consume();
    boolean negated = false;
    if (first.kind() == Kind.NOT) {
      negated = true;
      first = consume();
    }
    if (first.kind() != Kind.IDENTIFIER) {
      throw error(first, "expected a label key, found " + first.describe());
    }
    String key = first.text();
    validateKey(key, first.position());
    Token after = peek();
    if (negated) {
      if (after.kind() != Kind.COMMA && after.kind() != Kind.END) {
        throw error(after, "expected ',' or end of selector after '!" + key + "', found "
            + after.describe());
      }
      return new Requirement(key, Operator.DOES_NOT_EXIST, List.of());
    }
    if (after.kind() == Kind.COMMA || after.kind() == Kind.END) {
      return new Requirement(key, Operator.EXISTS, List.of());
    }
    Token op = consume();
    switch (op.kind()) {
      case EQUALS:
      case DOUBLE_EQUALS:
        return new Requirement(key, Operator.EQUALS, List.of(exactValue()));
      case NOT_EQUALS:
        return new Requirement(key, Operator.NOT_EQUALS, List.of(exactValue()));
      case GREATER:
        return new Requirement(key, Operator.GREATER_THAN, List.of(integerValue()));
      case LESS:
        return new Requirement(key, Operator.LESS_THAN, List.of(integerValue()));
      case IDENTIFIER:
        switch (op.text()) {
          case "in":
            return new Requirement(key, Operator.IN, valueSet());
          case "notin":
            return new Requirement(key, Operator.NOT_IN, valueSet());
          case "gt":
            return new Requirement(key, Operator.GREATER_THAN, List.of(integerValue()));
          case "lt":
            return new Requirement(key, Operator.LESS_THAN, List.of(integerValue()));
          default:
            throw error(op, expectedOperator(op));
        }
      default:
        throw error(op, expectedOperator(op));
    }
  }

  private static String expectedOperator(Token found) {
    return "expected one of '=', '==', '!=', 'in', 'notin', 'gt', 'lt', ',' or end of selector, "
        + "found " + found.describe();
  }

  /** The value after {@code =}, {@code ==} or {@code !=}; empty when none follows. */
  private String exactValue() {
    Token t = peek();
    if (t.kind() == Kind.COMMA || t.kind() == Kind.END) {
      return "";
    }
    consume();
    if (t.kind() != Kind.IDENTIFIER) {
      throw error(t, "expected a label value, found " + t.describe());
    }
    validateValue(t.text(), t.position());
    return t.text();
  }

  private String integerValue() {
    Token t = consume();
    if (t.kind() != Kind.IDENTIFIER) {
      throw error(t, "expected an integer, found " + t.describe());
    }
    try {
      Long.parseLong(t.text());
    } catch (NumberFormatException e) {
      throw error(t, "expected an integer, found '" + t.text() + "'");
    }
    // Kubernetes also holds the operand to value syntax, which rules out a sign.
    validateValue(t.text(), t.position());
    return t.text();
  }

  /** {@code ( [value (, value)*] )}, where an empty slot is the empty value. */
  private List<String> valueSet() {
    Token open = consume();
    if (open.kind() != Kind.OPEN) {
      throw error(open, "expected '(', found " + open.describe());
    }
    TreeSet<String> values = new TreeSet<>();
    boolean expectValue = true;
    while (true) {
      Token t = consume();
      switch (t.kind()) {
        case IDENTIFIER:
          if (!expectValue) {
            throw error(t, "expected ',' or ')', found " + t.describe());
          }
          validateValue(t.text(), t.position());
          values.add(t.text());
          expectValue = false;
          break;
        case COMMA:
          if (expectValue) {
            values.add("");
          }
          expectValue = true;
          break;
        case CLOSE:
          if (expectValue) {
            values.add("");
          }
          return List.copyOf(values);
        default:
          throw error(t, (expectValue ? "expected a label value, ',' or ')'"
              : "expected ',' or ')'") + ", found " + t.describe());
      }
    }
  }

  private Token peek() {
    return tokens.get(next);
  }

  private Token consume() {
    Token t = tokens.get(next);
    if (t.kind() != Kind.END) {
      next++;
    }
    return t;
  }

  private InvalidSelectorException error(Token at, String message) {
    return new InvalidSelectorException(input, at.position(), message);
  }

  // ---- validation, as Kubernetes' validation.IsQualifiedName and IsValidLabelValue ----

  private void validateKey(String key, int position) {
    int slash = key.indexOf('/');
    String name = key;
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      if (prefix.isEmpty()) {
        throw new InvalidSelectorException(input, position,
            "label key '" + key + "' has an empty prefix before '/'");
      }
      if (prefix.length() > MAX_PREFIX_LENGTH) {
        throw new InvalidSelectorException(input, position, "label key prefix of '" + key
            + "' is " + prefix.length() + " characters, at most " + MAX_PREFIX_LENGTH
            + " are allowed");
      }
      if (!isDnsSubdomain(prefix)) {
        throw new InvalidSelectorException(input, position, "label key prefix '" + prefix
            + "' must be a DNS subdomain: lowercase letters, digits, '-' and '.', starting and"
            + " ending with a letter or digit");
      }
    }
    if (name.isEmpty()) {
      throw new InvalidSelectorException(input, position,
          "label key '" + key + "' has an empty name");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      throw new InvalidSelectorException(input, position, "label key name of '" + key + "' is "
          + name.length() + " characters, at most " + MAX_NAME_LENGTH + " are allowed");
    }
    if (!isQualifiedNamePart(name)) {
      throw new InvalidSelectorException(input, position, "label key name '" + name
          + "' must consist of letters, digits, '-', '_' or '.', starting and ending with a"
          + " letter or digit" + (name.indexOf('/') >= 0 ? " (only one '/' is allowed)" : ""));
    }
  }

  private void validateValue(String value, int position) {
    if (value.length() > MAX_NAME_LENGTH) {
      throw new InvalidSelectorException(input, position, "label value '" + value + "' is "
          + value.length() + " characters, at most " + MAX_NAME_LENGTH + " are allowed");
    }
    if (!value.isEmpty() && !isQualifiedNamePart(value)) {
      throw new InvalidSelectorException(input, position, "label value '" + value
          + "' must be empty or consist of letters, digits, '-', '_' or '.', starting and"
          + " ending with a letter or digit");
    }
  }

  /** {@code [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?}. */
  private static boolean isQualifiedNamePart(String s) {
    int n = s.length();
    if (n == 0 || !isAlnum(s.charAt(0)) || !isAlnum(s.charAt(n - 1))) {
      return false;
    }
    for (int i = 1; i < n - 1; i++) {
      char c = s.charAt(i);
      if (!isAlnum(c) && c != '-' && c != '_' && c != '.') {
        return false;
      }
    }
    return true;
  }

  /** Dot-separated labels of {@code [a-z0-9]([-a-z0-9]*[a-z0-9])?}. */
  private static boolean isDnsSubdomain(String s) {
    for (String label : s.split("\\.", -1)) {
      int n = label.length();
      if (n == 0 || !isLowerAlnum(label.charAt(0)) || !isLowerAlnum(label.charAt(n - 1))) {
        return false;
      }
      for (int i = 1; i < n - 1; i++) {
        char c = label.charAt(i);
        if (!isLowerAlnum(c) && c != '-') {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean isAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private static boolean isLowerAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }
}
