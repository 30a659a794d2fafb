package dev.archivist.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerOptionsTest {

  @Test
  void defaults_areThoseOfTheDesign() {
    ServerOptions o = ServerOptions.defaults();
    assertThat(o.port()).isEqualTo(8080);
    assertThat(o.bindAddress()).isEqualTo("0.0.0.0");
    assertThat(o.apiToken()).isNull();
    assertThat(o.readOnly()).isFalse();
    assertThat(o.corsOrigins()).isEmpty();
    assertThat(o.uiResourceRoot()).isEqualTo("/ui");
  }

  @Test
  void constructor_badPort_namesTheFlag() {
    assertThatThrownBy(() -> ServerOptions.defaults().withPort(70000))
        .hasMessageContaining("--http-port").hasMessageContaining("70000");
    assertThatThrownBy(() -> ServerOptions.defaults().withPort(-1))
        .hasMessageContaining("--http-port");
  }

  @Test
  void constructor_blankOrMultilineToken_namesTheFlag() {
    assertThatThrownBy(() -> ServerOptions.defaults().withApiToken("  "))
        .hasMessageContaining("--api-token-file").hasMessageContaining("empty");
    assertThatThrownBy(() -> ServerOptions.defaults().withApiToken("abc\n"))
        .hasMessageContaining("--api-token-file").hasMessageContaining("position 3");
  }

  @Test
  void constructor_corsOrigins_mustBeOrigins() {
    assertThat(ServerOptions.defaults().withCorsOrigins(
        List.of("https://argo.example.com", "http://localhost:3000", "*")).corsOrigins())
        .hasSize(3);
    assertThatThrownBy(() -> ServerOptions.defaults().withCorsOrigins(List.of("example.com")))
        .hasMessageContaining("--cors-origin").hasMessageContaining("example.com");
    assertThatThrownBy(() -> ServerOptions.defaults()
        .withCorsOrigins(List.of("https://example.com/app")))
        .hasMessageContaining("nothing after it");
  }

  @Test
  void constructor_nonPositiveReadinessTimeout_isRefused() {
    assertThatThrownBy(() -> ServerOptions.defaults().withReadinessTimeout(Duration.ZERO))
        .hasMessageContaining("readinessTimeout");
  }

  @Test
  void toString_neverShowsTheToken() {
    assertThat(ServerOptions.defaults().withApiToken("s3cr3t").toString())
        .doesNotContain("s3cr3t").contains("apiToken=****");
  }
}
