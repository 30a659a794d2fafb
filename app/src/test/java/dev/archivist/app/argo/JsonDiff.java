package dev.archivist.app.argo;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * The differences between two JSON documents, as a list of lines {@code path: argo=… archivist=…}.
 *
 * <p>Equal means equal as data to a reader of Argo's Go types: object key order does not matter;
 * a field that is null, an empty object or an empty string is the same as an absent one (Argo
 * Server decodes the stored JSON into its Go structs and encodes it again, which turns an absent
 * struct field into {@code {}} and an absent required string into {@code ""}, while Archivist
 * serves the stored JSON as it is); two strings that both parse as RFC 3339 times are equal when
 * they name the same instant; numbers compare by value.
 */
final class JsonDiff {
  private static final int MAX_VALUE_CHARS = 120;

  private JsonDiff() {}

  static List<String> diff(JsonNode argo, JsonNode archivist) {
    List<String> out = new ArrayList<>();
    diff("", argo, archivist, out);
    return out;
  }

  private static void diff(String path, JsonNode a, JsonNode b, List<String> out) {
    boolean aMissing = empty(a);
    boolean bMissing = empty(b);
    if (aMissing && bMissing) {
      return;
    }
    if (aMissing || bMissing) {
      out.add(path + ": argo=" + show(a) + " archivist=" + show(b));
      return;
    }
    if (a.isObject() && b.isObject()) {
      TreeSet<String> keys = new TreeSet<>();
      for (Map.Entry<String, JsonNode> e : a.properties()) {
        keys.add(e.getKey());
      }
      for (Map.Entry<String, JsonNode> e : b.properties()) {
        keys.add(e.getKey());
      }
      for (String key : keys) {
        diff(path.isEmpty() ? key : path + "." + key, a.get(key), b.get(key), out);
      }
      return;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        out.add(path + ": argo has " + a.size() + " elements, archivist " + b.size());
        return;
      }
      for (int i = 0; i < a.size(); i++) {
        diff(path + "[" + i + "]", a.get(i), b.get(i), out);
      }
      return;
    }
    if (a.isNumber() && b.isNumber()) {
      if (a.decimalValue().compareTo(b.decimalValue()) != 0) {
        out.add(path + ": argo=" + show(a) + " archivist=" + show(b));
      }
      return;
    }
    if (a.isString() && b.isString() && sameInstant(a.asString(), b.asString())) {
      return;
    }
    if (!a.equals(b)) {
      out.add(path + ": argo=" + show(a) + " archivist=" + show(b));
    }
  }

  private static boolean empty(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() || (n.isObject() && n.isEmpty())
        || (n.isString() && n.asString().isEmpty());
  }

  private static boolean sameInstant(String a, String b) {
    if (a.equals(b)) {
      return true;
    }
    if (a.length() < 20 || b.length() < 20 || a.charAt(10) != 'T' || b.charAt(10) != 'T') {
      return false;
    }
    try {
      return OffsetDateTime.parse(a).toInstant().equals(OffsetDateTime.parse(b).toInstant());
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static String show(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "(absent)";
    }
    String s = n.toString();
    return s.length() <= MAX_VALUE_CHARS ? s : s.substring(0, MAX_VALUE_CHARS) + "…("
        + s.length() + " chars)";
  }
}
