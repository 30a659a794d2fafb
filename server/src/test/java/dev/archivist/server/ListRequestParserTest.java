package dev.archivist.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.archivist.store.ListQuery;
import dev.archivist.store.NameFilter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListRequestParserTest {

  private static QueryParams params(String... keyValues) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.computeIfAbsent(keyValues[i], k -> new ArrayList<>()).add(keyValues[i + 1]);
    }
    return new QueryParams(map);
  }

  private static ListQuery parse(String... keyValues) {
    return ListRequestParser.parseList(params(keyValues));
  }

  private static void assertBadRequest(QueryParams params, String... fragments) {
    assertThatThrownBy(() -> ListRequestParser.parseList(params))
        .isInstanceOfSatisfying(ApiException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .message().contains(fragments);
  }

  @Test
  void parseList_noParameters_listsEverythingWithTheDefaultLimit() {
    ListQuery q = parse();
    assertThat(q.namespace()).isNull();
    assertThat(q.name()).isNull();
    assertThat(q.selector().isEmpty()).isTrue();
    assertThat(q.startedAfter()).isNull();
    assertThat(q.startedBefore()).isNull();
    assertThat(q.limit()).isEqualTo(ListQuery.DEFAULT_LIMIT);
    assertThat(q.continueToken()).isNull();
  }

  @Test
  void parseList_emptyValues_areAbsent() {
    ListQuery q = parse("namespace", "", "listOptions.limit", "", "listOptions.continue", "",
        "listOptions.fieldSelector", "", "listOptions.labelSelector", "");
    assertThat(q).isEqualTo(parse());
  }

  @Test
  void parseList_namespace_filtersByIt() {
    assertThat(parse("namespace", "argo").namespace()).isEqualTo("argo");
  }

  @Test
  void parseList_fieldSelectorNamespace_fillsNamespaceAsArgoDoes() {
    assertThat(parse("listOptions.fieldSelector", "metadata.namespace=argo").namespace())
        .isEqualTo("argo");
    assertThat(parse("namespace", "argo", "listOptions.fieldSelector",
        "metadata.namespace=argo").namespace()).isEqualTo("argo");
  }

  @Test
  void parseList_namespaceContradictingFieldSelector_isRefusedNamingBoth() {
    assertBadRequest(params("namespace", "a", "listOptions.fieldSelector",
        "metadata.namespace=b"), "namespace", "metadata.namespace", "\"a\"", "\"b\"");
  }

  @Test
  void parseList_fieldSelectorName_matchesExactlyByDefault() {
    ListQuery q = parse("listOptions.fieldSelector", "metadata.name=nightly");
    assertThat(q.name()).isEqualTo("nightly");
    assertThat(q.nameFilter()).isEqualTo(NameFilter.EXACT);
    assertThat(parse("listOptions.fieldSelector", "metadata.name==nightly").name())
        .isEqualTo("nightly");
  }

  @Test
  void parseList_nameFilter_readsArgoSpellingsCaseInsensitively() {
    assertThat(parse("listOptions.fieldSelector", "metadata.name=ni", "nameFilter", "Prefix")
        .nameFilter()).isEqualTo(NameFilter.PREFIX);
    assertThat(parse("listOptions.fieldSelector", "metadata.name=ni", "nameFilter", "Contains")
        .nameFilter()).isEqualTo(NameFilter.CONTAINS);
    assertThat(parse("listOptions.fieldSelector", "metadata.name=ni", "nameFilter", "exact")
        .nameFilter()).isEqualTo(NameFilter.EXACT);
  }

  @Test
  void parseList_unknownNameFilter_isRefusedListingTheChoices() {
    assertBadRequest(params("nameFilter", "Fuzzy"), "nameFilter", "Exact, Prefix or Contains",
        "\"Fuzzy\"");
  }

  @Test
  void parseList_namePrefix_becomesAPrefixMatch() {
    ListQuery q = parse("namePrefix", "night");
    assertThat(q.name()).isEqualTo("night");
    assertThat(q.nameFilter()).isEqualTo(NameFilter.PREFIX);
  }

  @Test
  void parseList_namePrefixWithCompatibleName_keepsTheNarrowerMatch() {
    ListQuery exact = parse("namePrefix", "night", "listOptions.fieldSelector",
        "metadata.name=nightly-1");
    assertThat(exact.name()).isEqualTo("nightly-1");
    assertThat(exact.nameFilter()).isEqualTo(NameFilter.EXACT);

    ListQuery longerPrefix = parse("namePrefix", "nightly", "nameFilter", "Prefix",
        "listOptions.fieldSelector", "metadata.name=night");
    assertThat(longerPrefix.name()).isEqualTo("nightly");
    assertThat(longerPrefix.nameFilter()).isEqualTo(NameFilter.PREFIX);
  }

  @Test
  void parseList_namePrefixContradictingName_isRefused() {
    assertBadRequest(params("namePrefix", "weekly", "listOptions.fieldSelector",
        "metadata.name=nightly"), "namePrefix", "contradict");
    assertBadRequest(params("namePrefix", "n", "nameFilter", "Contains",
        "listOptions.fieldSelector", "metadata.name=ight"), "namePrefix", "Contains");
  }

  @Test
  void parseList_nameNotEquals_isRefusedAsUnsupported() {
    assertBadRequest(params("listOptions.fieldSelector", "metadata.name!=x"),
        "listOptions.fieldSelector", "metadata.name!=x", "not supported");
  }

  @Test
  void parseList_startedAtBounds_readRfc3339WithAnyOffset() {
    ListQuery q = parse("listOptions.fieldSelector",
        "spec.startedAt>2024-01-01T00:00:00Z,spec.startedAt<2024-02-01T01:00:00.5+01:00");
    assertThat(q.startedAfter()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
    assertThat(q.startedBefore()).isEqualTo(Instant.parse("2024-02-01T00:00:00.5Z"));
  }

  @Test
  void parseList_offsetWhosePlusDecodedToASpace_isReadAsPlus() {
    ListQuery q = parse("listOptions.fieldSelector", "spec.startedAt>2024-01-01T02:00:00 02:00");
    assertThat(q.startedAfter()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
  }

  @Test
  void parseList_badTimestamp_isRefusedNamingTheFieldAndTheValue() {
    assertBadRequest(params("listOptions.fieldSelector", "spec.startedAt>yesterday"),
        "listOptions.fieldSelector", "spec.startedAt>", "RFC 3339", "\"yesterday\"");
    assertBadRequest(params("listOptions.fieldSelector", "spec.startedAt<2024-01-01"),
        "spec.startedAt<", "\"2024-01-01\"");
  }

  @Test
  void parseList_unsupportedFieldSelector_isRefusedListingTheSupportedOnes() {
    assertBadRequest(params("listOptions.fieldSelector", "status.phase=Failed"),
        "listOptions.fieldSelector", "status.phase=Failed", "metadata.name=",
        "spec.startedAt>");
  }

  @Test
  void parseList_contradictoryRepeatedField_isRefused() {
    assertBadRequest(params("listOptions.fieldSelector", "metadata.name=a,metadata.name=b"),
        "metadata.name=b", "contradicts");
  }

  @Test
  void parseList_showRemainingItemCount_isAcceptedAndIgnored() {
    assertThat(parse("listOptions.fieldSelector", "ext.showRemainingItemCount=true"))
        .isEqualTo(parse());
    assertBadRequest(params("listOptions.fieldSelector", "ext.showRemainingItemCount=maybe"),
        "ext.showRemainingItemCount", "\"maybe\"");
  }

  @Test
  void parseList_limit_defaultsAndCaps() {
    assertThat(parse("listOptions.limit", "7").limit()).isEqualTo(7);
    assertThat(parse("listOptions.limit", "1000").limit()).isEqualTo(1000);
    assertThat(parse("listOptions.limit", "1001").limit()).isEqualTo(ListQuery.MAX_LIMIT);
    assertThat(parse("listOptions.limit", "99999999999").limit()).isEqualTo(ListQuery.MAX_LIMIT);
    assertThat(parse("listOptions.limit", "0").limit()).isEqualTo(ListQuery.MAX_LIMIT);
  }

  @Test
  void parseList_badLimit_isRefusedNamingTheParameter() {
    assertBadRequest(params("listOptions.limit", "ten"), "listOptions.limit", "\"ten\"");
    assertBadRequest(params("listOptions.limit", "-1"), "listOptions.limit", ">= 0", "-1");
    assertBadRequest(params("listOptions.limit", "1.5"), "listOptions.limit", "\"1.5\"");
  }

  @Test
  void parseList_continue_passesCursorsAndOffsets() {
    assertThat(parse("listOptions.continue", "eyJ0IjoxfQ").continueToken())
        .isEqualTo("eyJ0IjoxfQ");
    assertThat(parse("listOptions.continue", "100").continueToken()).isEqualTo("100");
    assertThat(parse("listOptions.continue", "0").continueToken()).isEqualTo("0");
  }

  @Test
  void parseList_negativeOrHugeOffset_isRefused() {
    assertBadRequest(params("listOptions.continue", "-50"), "listOptions.continue", "-50");
    assertBadRequest(params("listOptions.continue", "99999999999999999999"),
        "listOptions.continue", "too large");
  }

  @Test
  void parseList_parameterGivenTwice_isRefused() {
    assertBadRequest(params("namespace", "a", "namespace", "b"), "namespace", "2 times");
  }

  @Test
  void parseList_unknownListOption_isRefusedAsATypo() {
    assertBadRequest(params("listOptions.labelselector", "a=b"),
        "unknown parameter listOptions.labelselector", "listOptions.labelSelector");
  }

  @Test
  void parseList_kubernetesListOptionsWithoutMeaningHere_areIgnored() {
    assertThat(parse("listOptions.resourceVersion", "0", "listOptions.timeoutSeconds", "5",
        "fields", "items.metadata.name")).isEqualTo(parse());
  }

  @Test
  void parseLabelValuesKey_missingSelector_isRefusedWithAnExample() {
    assertThatThrownBy(() -> ListRequestParser.parseLabelValuesKey(params()))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("listOptions.labelSelector is required")
        .hasMessageContaining("workflows.argoproj.io/phase");
  }

  @Test
  void checkEscapes_malformedPercentEscape_isRefusedWithItsPosition() {
    QueryParams.checkEscapes("a=%41%2f&b=%e2%82%ac");
    assertThatThrownBy(() -> QueryParams.checkEscapes("a=1&b=%zz"))
        .isInstanceOf(ApiException.class).hasMessageContaining("position 6")
        .hasMessageContaining("%zz");
    assertThatThrownBy(() -> QueryParams.checkEscapes("a=%4"))
        .isInstanceOf(ApiException.class).hasMessageContaining("position 2");
  }

  @Test
  void parseList_labelSelector_isParsedWithKubernetesGrammar() {
    ListQuery q = parse("listOptions.labelSelector", "team in (red,blue),!legacy");
    assertThat(q.selector().requirements()).hasSize(2);
    assertThat(q.selector().matches(Map.of("team", "red"))).isTrue();
    assertThat(q.selector().matches(Map.of("team", "red", "legacy", "x"))).isFalse();
  }

  @Test
  void parseList_badLabelSelector_isRefusedNamingTheParameterAndPosition() {
    assertBadRequest(params("listOptions.labelSelector", "team in (red"),
        "listOptions.labelSelector", "team in (red", "position");
  }

  @Test
  void parseLabelValuesKey_bareKey_isTheKey() {
    assertThat(ListRequestParser.parseLabelValuesKey(
        params("listOptions.labelSelector", "workflows.argoproj.io/phase")))
        .isEqualTo("workflows.argoproj.io/phase");
  }

  @Test
  void parseLabelValuesKey_anythingButOneBareKey_isRefused() {
    assertThatThrownBy(() -> ListRequestParser.parseLabelValuesKey(
        params("listOptions.labelSelector", "team=red")))
        .isInstanceOf(ApiException.class).hasMessageContaining("bare label key")
        .hasMessageContaining("team=red");
    assertThatThrownBy(() -> ListRequestParser.parseLabelValuesKey(
        params("listOptions.labelSelector", "team,tier")))
        .isInstanceOf(ApiException.class).hasMessageContaining("exactly one label key");
  }
}
