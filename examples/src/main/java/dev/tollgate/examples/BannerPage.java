package dev.tollgate.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The demo page with the consent banner: {@code GET /} (and {@code /demo}) and its assets under
 * {@code /assets/}. The banner itself is vanilla-cookieconsent, served from the directory that
 * {@code npm ci} in {@code examples/browser} fills ({@value #ASSETS_PROPERTY}, by default
 * {@value #DEFAULT_ASSETS} relative to the working directory); it is never copied into the jar. The
 * Tollgate adapter script is this module's own resource. Without the library's files the page still
 * loads and says which command fetches them.
 */
final class BannerPage {

    /** The system property naming the directory with {@code cookieconsent.umd.js} and {@code cookieconsent.css}. */
    static final String ASSETS_PROPERTY = "tollgate.demo.bannerAssets";
    static final String DEFAULT_ASSETS = "examples/browser/node_modules/vanilla-cookieconsent/dist";
    static final String FETCH_COMMAND = "cd examples/browser && npm ci";

    private static final Map<String, String> LIBRARY_FILES = Map.of(
            "/assets/cookieconsent.umd.js", "cookieconsent.umd.js",
            "/assets/cookieconsent.css", "cookieconsent.css");
    private static final String RESOURCES = "/dev/tollgate/examples/banner/";

    private final Path assets;

    BannerPage(Path assets) {
        this.assets = Objects.requireNonNull(assets, "assets");
    }

    /** @return the page reading the directory from {@value #ASSETS_PROPERTY} or the default */
    static BannerPage fromSystemProperties() {
        return new BannerPage(Path.of(System.getProperty(ASSETS_PROPERTY, DEFAULT_ASSETS)));
    }

    boolean libraryPresent() {
        return LIBRARY_FILES.values().stream().allMatch(f -> Files.isRegularFile(assets.resolve(f)));
    }

    ApiResponse page() {
        String html = resource("index.html");
        String notice = libraryPresent() ? "" : "<p id=\"banner-missing\" role=\"alert\">The consent banner's assets "
                + "are missing. Fetch them with <code>" + FETCH_COMMAND + "</code> (from the repository root) and "
                + "restart the demo, or point <code>-D" + ASSETS_PROPERTY + "=DIR</code> at vanilla-cookieconsent's "
                + "<code>dist</code> folder.</p>";
        return ApiResponse.text(200, "text/html; charset=utf-8", html.replace("<!--banner-notice-->", notice));
    }

    ApiResponse adapterScript() {
        return ApiResponse.text(200, "text/javascript; charset=utf-8", resource("tollgate-consent.js"));
    }

    ApiResponse libraryFile(String path) {
        String name = LIBRARY_FILES.get(path);
        Path file = assets.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new ApiException(404, "banner_assets_missing", "The consent banner's assets are missing: run '"
                    + FETCH_COMMAND + "'.");
        }
        try {
            String type = name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
            return new ApiResponse(200, type, Files.readAllBytes(file), Map.of());
        } catch (IOException e) {
            throw new ApiException(500, "banner_assets_unreadable", "The consent banner's assets cannot be read.");
        }
    }

    DemoHttpHandler.Builder routes(DemoHttpHandler.Builder builder) {
        builder.get("/", r -> page()).get("/demo", r -> page())
                .get("/assets/tollgate-consent.js", r -> adapterScript());
        for (String path : LIBRARY_FILES.keySet()) {
            builder.get(path, r -> libraryFile(path));
        }
        return builder;
    }

    private static String resource(String name) {
        try (InputStream in = BannerPage.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCES + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
