package dev.archivist.server;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive browser: static files from a classpath directory, served at {@code /} with
 * {@code index.html} for {@code /}. Nothing is loaded from a CDN, so the headers can forbid every
 * other origin; the page may only talk to this server.
 *
 * <p>The files are read with the class loader, not with Javalin's static-file handler: Jetty's
 * handler mounts the jar as a zip file system, which indexes every entry of the application jar
 * (tens of thousands in the shaded jar, about 4.5 MiB of heap per mount) for as long as the
 * server runs; the class loader reads the same few files through the jar it already has open.
 * Only the types below are served; a file is cached once read (a handful of small files).
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

  /** What is served, by file extension; anything else is a 404. */
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png",
      "ico", "image/x-icon",
      "json", "application/json",
      "woff2", "font/woff2");

  private UiAssets() {}

  /**
   * Serves {@code resourceRoot} at {@code /} when it holds an {@code index.html}; otherwise
   * {@code /} explains that this build has no UI, and points at the API.
   */
  static void configure(JavalinConfig config, String resourceRoot) {
    if (UiAssets.class.getResource(resourceRoot + "/index.html") != null) {
      Map<String, byte[]> cache = new ConcurrentHashMap<>();
      config.routes.get("/", ctx -> serve(ctx, resourceRoot, "index.html", cache));
      config.routes.get("/<file>", ctx -> serve(ctx, resourceRoot, ctx.pathParam("file"), cache));
    } else {
      log.warn("no web UI on the classpath at {}/index.html; / serves a placeholder page",
          resourceRoot);
      config.routes.get("/", UiAssets::placeholder);
    }
  }

  /** One file of the UI, or a 404 (answered by the server's 404 handler). */
  private static void serve(Context ctx, String root, String file, Map<String, byte[]> cache) {
    String type = servable(file);
    byte[] body = type == null ? null : cache.get(file);
    if (type != null && body == null) {
      body = read(root + "/" + file);
      if (body != null) {
        cache.put(file, body);
      }
    }
    if (body == null) {
      ctx.status(404);
      return;
    }
    SECURITY_HEADERS.forEach(ctx::header);
    ctx.header("Cache-Control", "no-cache");
    ctx.contentType(type).result(body);
  }

  /** The content type of a file the UI may serve, or null: no climbing out of the root. */
  static String servable(String file) {
    if (file.isEmpty() || file.startsWith("/") || file.contains("\\")) {
      return null;
    }
    for (String part : file.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        return null;
      }
    }
    int dot = file.lastIndexOf('.');
    return dot < 0 ? null : TYPES.get(file.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private static byte[] read(String resource) {
    try (InputStream in = UiAssets.class.getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the UI file " + resource, e);
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
