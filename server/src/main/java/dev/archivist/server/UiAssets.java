package dev.archivist.server;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive browser: static files from a classpath directory, served at {@code /} with
 * {@code index.html} for {@code /}. Nothing is loaded from a CDN, so the headers can forbid every
 * other origin; the page may only talk to this server.
 */
final class UiAssets {
  private static final Logger log = LoggerFactory.getLogger(UiAssets.class);

  /**
   * Scripts and styles from this origin only (no inline script; inline style attributes are
   * allowed because small UIs set them), no framing, no plugins, API calls to this origin only.
   */
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self';"
      + " style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self';"
      + " font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none';"
      + " form-action 'self'";

  static final Map<String, String> SECURITY_HEADERS = Map.of(
      "Content-Security-Policy", CONTENT_SECURITY_POLICY,
      "X-Content-Type-Options", "nosniff",
      "X-Frame-Options", "DENY",
      "Referrer-Policy", "no-referrer",
      "Cross-Origin-Opener-Policy", "same-origin",
      "Cross-Origin-Resource-Policy", "same-origin");

  private UiAssets() {}

  /**
   * Serves {@code resourceRoot} at {@code /} when it holds an {@code index.html}; otherwise
   * {@code /} explains that this build has no UI, and points at the API.
   */
  static void configure(JavalinConfig config, String resourceRoot) {
    if (UiAssets.class.getResource(resourceRoot + "/index.html") != null) {
      config.staticFiles.add(files -> {
        files.hostedPath = "/";
        files.directory = resourceRoot;
        files.location = Location.CLASSPATH;
        files.headers = SECURITY_HEADERS;
      });
    } else {
      log.warn("no web UI on the classpath at {}/index.html; / serves a placeholder page",
          resourceRoot);
      config.routes.get("/", UiAssets::placeholder);
    }
  }

  private static void placeholder(Context ctx) {
    SECURITY_HEADERS.forEach(ctx::header);
    ctx.html("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<title>Archivist</title></head><body><h1>Archivist</h1>"
        + "<p>This build has no web UI. The archive API is at "
        + "<a href=\"/api/v1/archived-workflows\">/api/v1/archived-workflows</a>, described by "
        + "<a href=\"/api/openapi.json\">/api/openapi.json</a>.</p></body></html>\n");
  }
}
