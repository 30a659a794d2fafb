package dev.archivist.server;

import dev.archivist.store.ArchiveStore;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server of Archivist, on one port: the Argo-shaped archive API under {@code /api/v1},
 * its OpenAPI document at {@code /api/openapi.json}, {@code /metrics}, {@code /healthz},
 * {@code /readyz}, and the archive browser at {@code /}. See {@code docs/api.md}.
 *
 * <p>Threads: Jetty's request pool runs every handler; handlers share nothing mutable except the
 * thread-safe store and meter registry. {@link #close()} stops Jetty and waits for it, and does
 * not close the store or the registry, which stay the caller's.
 */
public final class ArchiveServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ArchiveServer.class);

  static final String OPENAPI_PATH = "/api/openapi.json";
  static final String OPENAPI_RESOURCE = "/openapi/archivist-api.json";

  /** The name of the readiness check the server adds for the store. */
  public static final String DATABASE_CHECK = "database";

  private final Javalin app;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ArchiveServer(Javalin app) {
    this.app = app;
  }

  /**
   * Starts serving and returns once the port is bound.
   *
   * @param store the archive to serve; the caller keeps ownership and closes it after
   *     {@link #close()}
   * @param options how to listen; see {@link ServerOptions}
   * @param registry scraped by {@code /metrics}; the server also records
   *     {@code http_server_requests_seconds} in it
   * @param checks what {@code /readyz} requires besides the database answering (which the
   *     server checks itself, as {@value #DATABASE_CHECK}); each must be thread-safe and quick
   * @throws IllegalStateException when the address cannot be bound, naming it
   */
  public static ArchiveServer start(ArchiveStore store, ServerOptions options,
      PrometheusMeterRegistry registry, List<ReadinessCheck> checks) {
    return start(store, options, registry, checks, null);
  }

  /**
   * As {@link #start(ArchiveStore, ServerOptions, PrometheusMeterRegistry, List)}, and also
   * serves {@code GET /api/v1/quarantine} from {@code quarantine} when it is not null.
   */
  public static ArchiveServer start(ArchiveStore store, ServerOptions options,
      PrometheusMeterRegistry registry, List<ReadinessCheck> checks,
      QuarantineSource quarantine) {
    return start(store, options, registry, checks, quarantine, null);
  }

  /**
   * As {@link #start(ArchiveStore, ServerOptions, PrometheusMeterRegistry, List,
   * QuarantineSource)}, with {@code access} deciding who may do what on the API.
   *
   * @param access null for what {@link ServerOptions#apiToken()} says: the static token when
   *     there is one, else open
   * @throws IllegalArgumentException when {@code access} contradicts {@code options} (a token
   *     with another mode, or CORS for any origin on an open server), naming the flags
   */
  public static ArchiveServer start(ArchiveStore store, ServerOptions options,
      PrometheusMeterRegistry registry, List<ReadinessCheck> checks,
      QuarantineSource quarantine, AccessControl access) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(checks, "checks");

    AccessControl accessControl = accessFor(options, access);
    List<ReadinessCheck> allChecks = new ArrayList<>();
    allChecks.add(databaseCheck(store, options));
    allChecks.addAll(checks);
    byte[] openApi = loadOpenApi();

    Javalin app = Javalin.create(config -> configure(config, store, options, registry,
        allChecks, quarantine, openApi, accessControl));
    try {
      app.start();
    } catch (RuntimeException e) {
      app.stop();
      throw new IllegalStateException("cannot serve HTTP on " + options.bindAddress() + ":"
          + options.port() + " (--http-port / --bind-address): " + e.getMessage(), e);
    }
    ArchiveServer server = new ArchiveServer(app);
    log.info("serving the archive API on http://{}:{} (--auth-mode {}, {}, CORS {})",
        options.bindAddress(), server.port(), accessControl.mode().flagValue(),
        options.readOnly() ? "read-only" : "deletes allowed",
        options.corsOrigins().isEmpty() ? "off" : "for " + options.corsOrigins());
    return server;
  }

  /** The bound port; the real one when {@link ServerOptions#port()} was 0. */
  public int port() {
    return app.port();
  }

  /** Stops accepting requests and waits for Jetty to stop. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      app.stop();
    }
  }

  private static AccessControl accessFor(ServerOptions options, AccessControl access) {
    AccessControl a = access;
    if (a == null) {
      a = options.apiToken() == null ? AccessControl.open()
          : AccessControl.staticToken(options.apiToken());
    } else if (options.apiToken() != null && a.mode() != AuthMode.TOKEN) {
      throw new IllegalArgumentException("--api-token-file is for --auth-mode token; it cannot"
          + " be used with --auth-mode " + a.mode().flagValue());
    }
    if (a.mode() == AuthMode.NONE && options.corsOrigins().contains("*")) {
      throw new IllegalArgumentException("--cors-origin '*' lets any web page read the archive"
          + " through a visitor's browser; it needs --auth-mode token or kubernetes, or name the"
          + " origins instead");
    }
    return a;
  }

  private static void configure(JavalinConfig config, ArchiveStore store, ServerOptions options,
      PrometheusMeterRegistry registry, List<ReadinessCheck> checks,
      QuarantineSource quarantine, byte[] openApi, AccessControl access) {
    config.startup.showJavalinBanner = false;
    config.startup.showOldJavalinVersionWarning = false;
    config.jetty.host = options.bindAddress();
    config.jetty.port = options.port();
    // "/api/v1/archived-workflows/" (an empty uid) is its own route: Argo's get-by-name form.
    config.router.ignoreTrailingSlashes = false;
    config.http.prefer405over404 = true;
    config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));

    if (!options.corsOrigins().isEmpty()) {
      config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
        for (String origin : options.corsOrigins()) {
          if (origin.equals("*")) {
            rule.anyHost();
          } else {
            rule.allowHost(origin);
          }
        }
      }));
    }

    Json json = new Json();
    ErrorResponses errors = new ErrorResponses(json);
    RequestMetrics metrics = new RequestMetrics(registry);

    config.routes.before(metrics::start);
    config.routes.before(ArchiveServer::apiHeaders);
    AccessFilter filter = new AccessFilter(access, !options.corsOrigins().isEmpty());
    config.routes.before(filter::check);
    NamespaceGuard guard = new NamespaceGuard(access, store);

    new ArchiveApi(store, json, options.readOnly(), guard).register(config.routes);
    new InfoApi(json, options.readOnly(), access.mode(), guard).register(config.routes);
    if (quarantine != null) {
      new QuarantineApi(quarantine, json, guard).register(config.routes);
    }
    config.routes.get(OPENAPI_PATH,
        ctx -> ctx.contentType(Json.CONTENT_TYPE).result(openApi));
    new HealthEndpoints(checks, registry, json).register(config.routes);
    UiAssets.configure(config, options.uiResourceRoot());

    config.routes.exception(Exception.class, errors::handle);
    config.routes.error(404, errors::handleStatus);
    config.routes.error(405, errors::handleStatus);
    config.routes.after(metrics::stop);
  }

  /** API answers are data, not documents: never sniffed, never cached by a shared cache. */
  private static void apiHeaders(Context ctx) {
    if (ctx.path().startsWith(AccessFilter.API_PREFIX)) {
      ctx.header("X-Content-Type-Options", "nosniff");
      ctx.header("Cache-Control", "no-store");
    }
  }

  private static ReadinessCheck databaseCheck(ArchiveStore store, ServerOptions options) {
    return ReadinessCheck.ofStatus(DATABASE_CHECK, () -> store.isReachable(
        options.readinessTimeout())
        ? ReadinessCheck.Status.ok()
        : ReadinessCheck.Status.notReady("the archive database did not answer within "
            + options.readinessTimeout().toMillis() + " ms"));
  }

  private static byte[] loadOpenApi() {
    try (InputStream in = ArchiveServer.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the OpenAPI document " + OPENAPI_RESOURCE
            + " is missing from the classpath; the server jar is incomplete");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + OPENAPI_RESOURCE, e);
    }
  }
}
