package dev.archivist.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JdbcUrlsTest {
  @Test
  void withParameter_addsOrReplaces() {
    assertThat(JdbcUrls.withParameter("jdbc:postgresql://h:1/db", "currentSchema", "s"))
        .isEqualTo("jdbc:postgresql://h:1/db?currentSchema=s");
    assertThat(JdbcUrls.withParameter("jdbc:postgresql://h:1/db?user=p&currentSchema=x",
        "currentSchema", "s")).isEqualTo("jdbc:postgresql://h:1/db?user=p&currentSchema=s");
  }

  @Test
  void withDatabase_replacesThePath() {
    assertThat(JdbcUrls.withDatabase("jdbc:mariadb://h:3306/archivist_test?user=root", "t_1"))
        .isEqualTo("jdbc:mariadb://h:3306/t_1?user=root");
    assertThat(JdbcUrls.withDatabase("jdbc:mariadb://h:3306", "t_1"))
        .isEqualTo("jdbc:mariadb://h:3306/t_1");
  }

  @Test
  void schemaNames_staleOnlyWhenOldAndOurs() {
    String name = SchemaNames.newName(JdbcUrlsTest.class, 1000);
    assertThat(name).startsWith("t_1000_jdbcurlstest_").matches("[a-z0-9_]+");
    assertThat(SchemaNames.isStale(name, 1000 + SchemaNames.STALE_AFTER_SECONDS + 1)).isTrue();
    assertThat(SchemaNames.isStale(name, 1000 + 60)).isFalse();
    assertThat(SchemaNames.isStale("public", 1_000_000_000)).isFalse();
  }

  @Test
  void fixtures_listsArgoFixturesOrSkips() {
    assertThat(Fixtures.yamlFiles("argo")).isNotEmpty()
        .allMatch(p -> p.toString().endsWith(".yaml"));
  }
}
