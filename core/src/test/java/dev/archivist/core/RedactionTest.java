package dev.archivist.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTest {

  @Test
  void url_hidesPasswordsInQueryAndUserInfo() {
    assertThat(Redaction.url("jdbc:postgresql://h/db?user=a&password=s3cret&ssl=true"))
        .isEqualTo("jdbc:postgresql://h/db?user=a&password=****&ssl=true");
    assertThat(Redaction.url("jdbc:mysql://root:s3cret@h:3306/db"))
        .isEqualTo("jdbc:mysql://root:****@h:3306/db");
    assertThat(Redaction.url("jdbc:postgresql://h/db")).isEqualTo("jdbc:postgresql://h/db");
  }

  @Test
  void redact_masksPasswords() {
    assertThat(Redaction.url("jdbc:mariadb://h/db?user=u&password=secret&x=1"))
        .isEqualTo("jdbc:mariadb://h/db?user=u&password=****&x=1");
  }
}
