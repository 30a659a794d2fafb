package dev.archivist.server;

import dev.archivist.core.InvalidSelectorException;
import dev.archivist.core.LabelSelector;
import dev.archivist.core.Operator;
import dev.archivist.core.Requirement;
import dev.archivist.store.ListQuery;
import dev.archivist.store.NameFilter;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the query parameters of Argo Server's archive API into a {@link ListQuery}, with Argo's
 * meaning ({@code server/utils/list_options.go} of Argo Workflows v4), and refuses what is wrong
 * with a message that names the parameter, the value, and what would be accepted.
 *
 * <p>Differences from Argo, on purpose: {@code listOptions.limit} absent means
 * {@value ListQuery#DEFAULT_LIMIT} and 0 or anything above {@value ListQuery#MAX_LIMIT} means
 * {@value ListQuery#MAX_LIMIT} (Argo loads everything for 0); a bad timestamp is a 400 (Argo
 * answers 500); {@code listOptions.continue} may be an opaque cursor as well as an offset.
 *
 * <p>Pure functions of the parameters; thread-safe.
 */
final class ListRequestParser {
  static final String NAMESPACE = "namespace";
  static final String NAME_PREFIX = "namePrefix";
  static final String NAME_FILTER = "nameFilter";
  static final String LABEL_SELECTOR = "listOptions.labelSelector";
  static final String FIELD_SELECTOR = "listOptions.fieldSelector";
  static final String LIMIT = "listOptions.limit";
  static final String CONTINUE = "listOptions.continue";

  private static final String LIST_OPTIONS_PREFIX = "listOptions.";

  /**
   * Kubernetes {@code ListOptions} fields that clients such as the Argo CLI send and that mean
   * nothing for an archive; accepted and ignored. Any other {@code listOptions.*} is a typo.
   */
  private static final Set<String> IGNORED_LIST_OPTIONS = Set.of(
      "listOptions.resourceVersion", "listOptions.resourceVersionMatch",
      "listOptions.timeoutSeconds", "listOptions.watch", "listOptions.allowWatchBookmarks",
      "listOptions.sendInitialEvents");

  private static final Set<String> KNOWN_LIST_OPTIONS = Set.of(LABEL_SELECTOR, FIELD_SELECTOR,
      LIMIT, CONTINUE);

  private static final String NAME_EQ = "metadata.name=";
  private static final String NAME_EQEQ = "metadata.name==";
  private static final String NAME_NE = "metadata.name!=";
  private static final String NAMESPACE_EQ = "metadata.namespace=";
  private static final String NAMESPACE_EQEQ = "metadata.namespace==";
  private static final String STARTED_AFTER = "spec.startedAt>";
  private static final String STARTED_BEFORE = "spec.startedAt<";
  private static final String SHOW_REMAINING = "ext.showRemainingItemCount=";

  private static final String SUPPORTED_FIELDS = "metadata.name=, metadata.namespace=, "
      + "spec.startedAt>, spec.startedAt< and ext.showRemainingItemCount=";

  private ListRequestParser() {}

  /** {@code GET /api/v1/archived-workflows}. */
  static ListQuery parseList(QueryParams params) {
    rejectUnknownListOptions(params);

    String namespace = params.single(NAMESPACE);
    String namePrefix = params.single(NAME_PREFIX);
    NameFilter nameFilter = parseNameFilter(params.single(NAME_FILTER));
    LabelSelector selector = parseSelector(params.single(LABEL_SELECTOR));

    FieldSelector fields = parseFieldSelector(params.single(FIELD_SELECTOR));
    if (fields.namespace != null) {
      if (namespace == null) {
        namespace = fields.namespace;
      } else if (!namespace.equals(fields.namespace)) {
        throw ApiException.badRequest(NAMESPACE + " (\"" + namespace + "\") and "
            + FIELD_SELECTOR + " metadata.namespace (\"" + fields.namespace
            + "\") contradict each other; give one of them");
      }
    }

    String name = fields.name;
    NameFilter filter = nameFilter == null ? NameFilter.EXACT : nameFilter;
    if (namePrefix != null) {
      if (name == null) {
        name = namePrefix;
        filter = NameFilter.PREFIX;
      } else {
        NameMatch merged = mergeNamePrefix(name, filter, namePrefix);
        name = merged.name;
        filter = merged.filter;
      }
    }

    int limit = parseLimit(params.single(LIMIT));
    String continueToken = parseContinue(params.single(CONTINUE));
    return new ListQuery(namespace, name, filter, selector, fields.startedAfter,
        fields.startedBefore, limit, continueToken);
  }

  /**
   * {@code GET /api/v1/archived-workflows-label-values}: the selector must be one bare key, as
   * Argo requires ({@code listOptions.labelSelector=workflows.argoproj.io/phase}).
   *
   * @return the label key
   */
  static String parseLabelValuesKey(QueryParams params) {
    String raw = params.single(LABEL_SELECTOR);
    if (raw == null) {
      throw ApiException.badRequest(LABEL_SELECTOR + " is required: give the label key whose"
          + " values to list, for example " + LABEL_SELECTOR + "=workflows.argoproj.io/phase");
    }
    LabelSelector selector = parseSelector(raw);
    if (selector.requirements().size() != 1) {
      throw ApiException.badRequest(LABEL_SELECTOR + " must be exactly one label key, got "
          + selector.requirements().size() + " requirements in \"" + raw + "\"");
    }
    Requirement requirement = selector.requirements().get(0);
    if (requirement.operator() != Operator.EXISTS) {
      throw ApiException.badRequest(LABEL_SELECTOR + " must be a bare label key such as"
          + " workflows.argoproj.io/phase, got \"" + raw + "\" (operator "
          + requirement.operator() + " is not supported here)");
    }
    return requirement.key();
  }

  static LabelSelector parseSelector(String raw) {
    if (raw == null) {
      return LabelSelector.everything();
    }
    try {
      return LabelSelector.parse(raw);
    } catch (InvalidSelectorException e) {
      throw ApiException.badRequest(LABEL_SELECTOR + ": " + e.getMessage());
    }
  }

  private static void rejectUnknownListOptions(QueryParams params) {
    for (String name : params.names()) {
      if (name.startsWith(LIST_OPTIONS_PREFIX) && !KNOWN_LIST_OPTIONS.contains(name)
          && !IGNORED_LIST_OPTIONS.contains(name)) {
        throw ApiException.badRequest("unknown parameter " + name + "; the list accepts "
            + LABEL_SELECTOR + ", " + FIELD_SELECTOR + ", " + LIMIT + " and " + CONTINUE
            + " (parameter names are case-sensitive)");
      }
    }
  }

  private static NameFilter parseNameFilter(String raw) {
    if (raw == null) {
      return null;
    }
    switch (raw.toLowerCase(Locale.ROOT)) {
      case "exact":
        return NameFilter.EXACT;
      case "prefix":
        return NameFilter.PREFIX;
      case "contains":
        return NameFilter.CONTAINS;
      default:
        throw ApiException.badRequest(NAME_FILTER + " must be Exact, Prefix or Contains, got \""
            + raw + "\"");
    }
  }

  private record NameMatch(String name, NameFilter filter) {}

  /**
   * Argo applies {@code namePrefix} and the {@code metadata.name} match both; a
   * {@link ListQuery} holds one name match, so fold the two into one, or refuse when no
   * workflow could match both.
   */
  private static NameMatch mergeNamePrefix(String name, NameFilter filter, String prefix) {
    switch (filter) {
      case EXACT:
        if (name.startsWith(prefix)) {
          return new NameMatch(name, NameFilter.EXACT);
        }
        break;
      case PREFIX:
        if (name.startsWith(prefix)) {
          return new NameMatch(name, NameFilter.PREFIX);
        }
        if (prefix.startsWith(name)) {
          return new NameMatch(prefix, NameFilter.PREFIX);
        }
        break;
      case CONTAINS:
        throw ApiException.badRequest(NAME_PREFIX + " cannot be combined with " + NAME_FILTER
            + "=Contains on " + FIELD_SELECTOR + " metadata.name; give one of them");
      default:
        throw new AssertionError(filter);
    }
    throw ApiException.badRequest(NAME_PREFIX + " (\"" + prefix + "\") and " + FIELD_SELECTOR
        + " metadata.name (\"" + name + "\", " + NAME_FILTER + "=" + filter
        + ") contradict each other; no name matches both");
  }

  private static final class FieldSelector {
    String name;
    String namespace;
    Instant startedAfter;
    Instant startedBefore;
  }

  private static FieldSelector parseFieldSelector(String raw) {
    FieldSelector fields = new FieldSelector();
    if (raw == null) {
      return fields;
    }
    for (String term : raw.split(",", -1)) {
      if (term.isEmpty()) {
        continue;
      }
      if (term.startsWith(NAME_NE)) {
        throw ApiException.badRequest(FIELD_SELECTOR + ": \"" + term + "\" is not supported;"
            + " the archive matches metadata.name with = only (see " + NAME_FILTER + ")");
      } else if (term.startsWith(NAME_EQEQ)) {
        fields.name = once(fields.name, emptyToNull(term.substring(NAME_EQEQ.length())), term);
      } else if (term.startsWith(NAME_EQ)) {
        fields.name = once(fields.name, emptyToNull(term.substring(NAME_EQ.length())), term);
      } else if (term.startsWith(NAMESPACE_EQEQ)) {
        fields.namespace = once(fields.namespace,
            emptyToNull(term.substring(NAMESPACE_EQEQ.length())), term);
      } else if (term.startsWith(NAMESPACE_EQ)) {
        fields.namespace = once(fields.namespace,
            emptyToNull(term.substring(NAMESPACE_EQ.length())), term);
      } else if (term.startsWith(STARTED_AFTER)) {
        fields.startedAfter = once(fields.startedAfter,
            parseTimestamp(STARTED_AFTER, term.substring(STARTED_AFTER.length())), term);
      } else if (term.startsWith(STARTED_BEFORE)) {
        fields.startedBefore = once(fields.startedBefore,
            parseTimestamp(STARTED_BEFORE, term.substring(STARTED_BEFORE.length())), term);
      } else if (term.startsWith(SHOW_REMAINING)) {
        // Argo counts the remaining rows for this; counting is what makes its list slow on a
        // large archive, so the archive never returns remainingItemCount. Validate and ignore.
        String value = term.substring(SHOW_REMAINING.length());
        if (!value.equals("true") && !value.equals("false")) {
          throw ApiException.badRequest(FIELD_SELECTOR + ": ext.showRemainingItemCount must be"
              + " true or false, got \"" + value + "\"");
        }
      } else {
        throw ApiException.badRequest(FIELD_SELECTOR + ": unsupported requirement \"" + term
            + "\"; supported are " + SUPPORTED_FIELDS);
      }
    }
    return fields;
  }

  private static <T> T once(T previous, T value, String term) {
    if (previous != null && !previous.equals(value)) {
      throw ApiException.badRequest(FIELD_SELECTOR + ": \"" + term
          + "\" contradicts an earlier requirement on the same field");
    }
    return value;
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }

  /**
   * RFC 3339, as Go's {@code time.RFC3339} reads it. A {@code +} in the offset that arrived as a
   * space (an unencoded {@code +} in a query string decodes to one) is read back as {@code +}.
   */
  static Instant parseTimestamp(String field, String value) {
    String text = value.indexOf(' ') >= 0 ? value.replace(' ', '+') : value;
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(FIELD_SELECTOR + ": " + field + " needs an RFC 3339"
          + " timestamp such as 2024-01-31T12:00:00Z, got \"" + value + "\"");
    }
  }

  static int parseLimit(String raw) {
    if (raw == null) {
      return ListQuery.DEFAULT_LIMIT;
    }
    long limit;
    try {
      limit = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(LIMIT + " must be a whole number from 0 to "
          + ListQuery.MAX_LIMIT + ", got \"" + raw + "\"");
    }
    if (limit < 0) {
      throw ApiException.badRequest(LIMIT + " must be >= 0, got " + raw);
    }
    if (limit == 0 || limit > ListQuery.MAX_LIMIT) {
      return ListQuery.MAX_LIMIT;
    }
    return (int) limit;
  }

  /**
   * An opaque cursor goes to the store as it is (the store refuses a tampered one). An integer
   * is Argo's offset and must not be negative.
   */
  static String parseContinue(String raw) {
    if (raw == null) {
      return null;
    }
    if (raw.matches("[+-]?[0-9]+")) {
      long offset;
      try {
        offset = Long.parseLong(raw);
      } catch (NumberFormatException e) {
        throw ApiException.badRequest(CONTINUE + " offset \"" + raw + "\" is too large");
      }
      if (offset < 0) {
        throw ApiException.badRequest(CONTINUE + " must be a token from a previous page or an"
            + " offset >= 0, got " + raw);
      }
      if (offset > Integer.MAX_VALUE) {
        throw ApiException.badRequest(CONTINUE + " offset " + raw + " is too large");
      }
      return Long.toString(offset);
    }
    return raw;
  }
}
