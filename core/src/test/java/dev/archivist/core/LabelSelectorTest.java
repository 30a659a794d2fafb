package dev.archivist.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LabelSelectorTest {

  private static Requirement req(String key, Operator op, String... values) {
    return new Requirement(key, op, List.of(values));
  }

  private static void assertParses(String selector, Requirement... expected) {
    assertThat(LabelSelector.parse(selector).requirements()).as(selector)
        .containsExactly(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "\t\n"})
  void parse_blankIsEverything(String s) {
    assertThat(LabelSelector.parse(s)).isSameAs(LabelSelector.everything());
    assertThat(LabelSelector.parse(null)).isSameAs(LabelSelector.everything());
  }

  @Test
  void parse_everyOperator() {
    assertParses("a=b", req("a", Operator.EQUALS, "b"));
    assertParses("a==b", req("a", Operator.EQUALS, "b"));
    assertParses("a!=b", req("a", Operator.NOT_EQUALS, "b"));
    assertParses("a in (c, b)", req("a", Operator.IN, "b", "c"));
    assertParses("a notin (b)", req("a", Operator.NOT_IN, "b"));
    assertParses("a", req("a", Operator.EXISTS));
    assertParses("!a", req("a", Operator.DOES_NOT_EXIST));
    assertParses("a gt 5", req("a", Operator.GREATER_THAN, "5"));
    assertParses("a>5", req("a", Operator.GREATER_THAN, "5"));
    assertParses("a lt 7", req("a", Operator.LESS_THAN, "7"));
    assertParses("a<7", req("a", Operator.LESS_THAN, "7"));
  }

  @Test
  void parse_conjunctionIsSortedByKeyAndToleratesWhitespace() {
    LabelSelector s = LabelSelector.parse(
        " workflows.argoproj.io/phase in (Failed,Error) , app = web,!gone,\tz notin ( x , y )");
    assertThat(s.requirements()).containsExactly(
        req("app", Operator.EQUALS, "web"),
        req("gone", Operator.DOES_NOT_EXIST),
        req("workflows.argoproj.io/phase", Operator.IN, "Error", "Failed"),
        req("z", Operator.NOT_IN, "x", "y"));
  }

  @Test
  void parse_emptyValuesAsKubernetes() {
    assertParses("a=", req("a", Operator.EQUALS, ""));
    assertParses("a!=,b", req("a", Operator.NOT_EQUALS, ""), req("b", Operator.EXISTS));
    assertParses("a in ()", req("a", Operator.IN, ""));
    assertParses("a in (b,)", req("a", Operator.IN, "", "b"));
    assertParses("a in (b,b)", req("a", Operator.IN, "b"));
  }

  @Test
  void parse_keywordsAreIdentifiersWhereAValueOrKeyIsExpected() {
    assertParses("a=in", req("a", Operator.EQUALS, "in"));
    assertParses("in", req("in", Operator.EXISTS));
    assertParses("gt in (lt,notin)", req("gt", Operator.IN, "lt", "notin"));
  }

  @Test
  void parse_keyPrefixAndLengthLimits() {
    String name63 = "a".repeat(63);
    String prefix253 = ("b".repeat(63) + ".").repeat(3) + "c".repeat(61);
    assertThat(prefix253).hasSize(253);
    assertThat(LabelSelector.parse(prefix253 + "/" + name63).requirements().get(0).key())
        .hasSize(317);
    assertThat(LabelSelector.parse("a=" + "v".repeat(63)).requirements()).hasSize(1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "a in (b                  | 7  | expected ',' or ')', found end of selector",
      "a in b                   | 5  | expected '(', found 'b'",
      "a b                      | 2  | expected one of '=', '==', '!=', 'in', 'notin', 'gt', 'lt'",
      "=b                       | 0  | expected a label key, found '='",
      "a=b,                     | 4  | expected a label key, found end of selector",
      "a=b c                    | 4  | expected ',' or end of selector, found 'c'",
      "!a=b                     | 2  | expected ',' or end of selector after '!a', found '='",
      "a gt x                   | 5  | expected an integer, found 'x'",
      "a gt -1                  | 5  | label value '-1' must be empty or consist of",
      "a lt                     | 4  | expected an integer, found end of selector",
      "a in (b c)               | 8  | expected ',' or ')', found 'c'",
      "a in (b,=)               | 8  | expected a label value, ',' or ')', found '='",
      "a=(b)                    | 2  | expected a label value, found '('",
      "-a=b                     | 0  | label key name '-a' must consist of",
      "A.B/c                    | 0  | label key prefix 'A.B' must be a DNS subdomain",
      "/c                       | 0  | label key '/c' has an empty prefix",
      "a/                       | 0  | label key 'a/' has an empty name",
      "a/b/c                    | 0  | (only one '/' is allowed)",
      "a=b$                     | 2  | label value 'b$' must be empty or consist of",
      "x,,y                     | 2  | expected a label key, found ','",
  })
  void parse_invalidNamesPositionAndExpectation(String selector, int position, String message) {
    assertThatThrownBy(() -> LabelSelector.parse(selector))
        .isInstanceOfSatisfying(InvalidSelectorException.class, e -> {
          assertThat(e.position()).isEqualTo(position);
          assertThat(e.selector()).isEqualTo(selector);
          assertThat(e.getMessage()).contains(message).contains("at position " + position)
              .startsWith("invalid label selector \"" + selector + "\"");
        });
  }

  @Test
  void parse_tooLongNamesAndValuesAreRejected() {
    assertThatThrownBy(() -> LabelSelector.parse("a=" + "v".repeat(64)))
        .isInstanceOf(InvalidSelectorException.class)
        .hasMessageContaining("64 characters, at most 63");
    assertThatThrownBy(() -> LabelSelector.parse("k".repeat(64)))
        .isInstanceOf(InvalidSelectorException.class)
        .hasMessageContaining("64 characters, at most 63");
    assertThatThrownBy(() -> LabelSelector.parse("p".repeat(254) + "/k"))
        .isInstanceOf(InvalidSelectorException.class)
        .hasMessageContaining("254 characters, at most 253");
  }

  @Test
  void parse_injectionLikeTextIsRejectedNotInterpreted() {
    assertThatThrownBy(() -> LabelSelector.parse("a='; drop table x; --"))
        .isInstanceOf(InvalidSelectorException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "a=b", "!a", "a", "a!=", "a in (,b,c)", "a notin (x)", "a gt 5", "a lt 0",
      "example.com/a=b,x.y/z notin (p,q),!w"})
  void toString_parsesBackToAnEqualSelector(String s) {
    LabelSelector parsed = LabelSelector.parse(s);
    assertThat(LabelSelector.parse(parsed.toString())).isEqualTo(parsed);
  }

  @Test
  void matches_followsKubernetesSemantics() {
    Map<String, String> labels = Map.of("app", "web", "tier", "3", "env", "");
    assertThat(LabelSelector.parse("app=web,tier gt 2,tier<4").matches(labels)).isTrue();
    assertThat(LabelSelector.parse("app!=db,!gone,env").matches(labels)).isTrue();
    assertThat(LabelSelector.parse("gone!=x,gone notin (a)").matches(labels)).isTrue();
    assertThat(LabelSelector.parse("env=").matches(labels)).isTrue();
    assertThat(LabelSelector.parse("app in (db,cache)").matches(labels)).isFalse();
    assertThat(LabelSelector.parse("app gt 1").matches(labels)).isFalse();
    assertThat(LabelSelector.parse("gone gt 1").matches(labels)).isFalse();
    assertThat(LabelSelector.parse("gone").matches(labels)).isFalse();
  }
}
