package dev.archivist.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.controller.ControllerConfig;
import dev.archivist.controller.LifecycleConfig;
import dev.archivist.server.AuthMode;
import dev.archivist.server.ServerOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The defaults shown in {@code --help} and docs/configuration.md are the components' own: the
 * flags of {@code run} with nothing set build exactly {@link ControllerConfig#defaults()} and
 * {@link ServerOptions#defaults()}.
 */
class FlagDefaultsTest {

  @Test
  void runDefaults_equalTheControllersAndServersDefaults() {
    RunCommand run = Cli.parse("run");

    ControllerConfig config = Components.controllerConfig(List.of(), run.archive.scope,
        run.archiveSelector, run.archiveQps, run.tuning);

    assertThat(config).isEqualTo(ControllerConfig.defaults());
    assertThat(run.lifecycleOptions.toConfig(new EnvironmentDefaults(Map.of())))
        .isEqualTo(LifecycleConfig.defaults());
    assertThat(run.http.port).isEqualTo(ServerOptions.DEFAULT_PORT);
    // run defaults to --auth-mode kubernetes, and then to every interface.
    AuthMode mode = run.auth.resolve(AuthMode.KUBERNETES, run.http.hasTokenFile());
    assertThat(mode).isEqualTo(AuthMode.KUBERNETES);
    assertThat(run.http.options(run.auth, mode).bindAddress())
        .isEqualTo(ServerOptions.DEFAULT_BIND_ADDRESS);
    assertThat(run.http.readOnly).isFalse();
  }

  @Test
  void demoTuningDefaults_equalTheControllersDefaults() {
    DemoCommand demo = Cli.parse("demo");

    ControllerConfig config = Components.controllerConfig(List.of(), demo.scope, "", 0,
        demo.tuning);

    assertThat(config).isEqualTo(ControllerConfig.defaults());
  }
}
